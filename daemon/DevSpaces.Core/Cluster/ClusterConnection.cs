using System.Text.Json.Serialization.Metadata;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Errors;
using k8s;
using DevSpaces.Core.Cluster.Kubeconfig;

namespace DevSpaces.Core.Cluster;

/// <summary>
/// A Kubernetes client for one kubeconfig context; every call goes through <see cref="CallAsync{T}"/> or
/// <see cref="ReadAsync{T}"/>. The reads and watches of the idle daemon use <see cref="Api"/>; KubernetesClient's
/// <see cref="Client"/> (its generated operations and serializer: 13 MiB of the idle daemon when it served those) is built
/// at its first use.
/// </summary>
public sealed class ClusterConnection : IDisposable
{
    /// <summary>How long a single API call may take before the server counts as unreachable.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    private readonly Lock gate = new();
    private readonly ClusterAccess access;
    private readonly string? @namespace;

    // IKubernetes, typed object so that building a connection does not load KubernetesClient.
    private IDisposable? client;

    private ClusterConnection(ClusterTarget target, ClusterAccess access, string? @namespace)
    {
        Target = target;
        this.access = access;
        this.@namespace = @namespace;
        Api = ApiServerClient.Open(access);
    }

    public ClusterTarget Target { get; }

    public string Context => Target.Context;

    /// <summary>The client; long-running watches use it directly, requests go through <see cref="CallAsync{T}"/>.</summary>
    public IKubernetes Client
    {
        get
        {
            lock (gate)
            {
                client ??= new Kubernetes(KubernetesClientSetup.Configuration(access, @namespace));
                return (IKubernetes)client;
            }
        }
    }

    /// <summary>The small client of the idle daemon's reads and watches; reads go through <see cref="ReadAsync{T}"/>.</summary>
    public ApiServerClient Api { get; }

    /// <summary>Builds a client for <paramref name="context"/> (which must exist in <paramref name="kubeconfig"/>).</summary>
    public static ClusterConnection Open(LoadedKubeconfig kubeconfig, string context)
    {
        var entry = kubeconfig.FindContext(context) ?? throw ContextNotFound(kubeconfig, context);
        var target = new ClusterTarget(context, kubeconfig.ServerOf(entry), entry.User);
        try
        {
            return new ClusterConnection(target, ClusterAccess.Resolve(kubeconfig, entry), entry.Namespace);
        }
        catch (CredentialPluginException ex)
        {
            throw new DevSpacesException(
                RpcErrorCode.AuthProviderFailed,
                $"The credential plugin of user '{target.User}' (context '{context}') failed.",
                "Run the plugin's login command (see its message), check that it is installed and on PATH, then retry.",
                ex.Message,
                ex);
        }
        catch (KubeconfigUnusableException ex)
        {
            throw new DevSpacesException(
                RpcErrorCode.KubeconfigInvalid,
                $"Context '{context}' in {string.Join(", ", kubeconfig.Files)} cannot be used.",
                ex.Hint,
                ex.Message,
                ex);
        }
    }

    /// <summary>The error for a context name the kubeconfig lacks, listing the ones it has.</summary>
    public static DevSpacesException ContextNotFound(LoadedKubeconfig kubeconfig, string context)
    {
        var names = kubeconfig.Contexts.Select(c => c.Name).ToList();
        return new DevSpacesException(
            RpcErrorCode.ContextNotFound,
            $"Context '{context}' is not in the kubeconfig {string.Join(", ", kubeconfig.Files)}.",
            names.Count == 0 ? "The kubeconfig has no contexts; add one (kubectl config set-context)." : $"Choose one of: {string.Join(", ", names)}.");
    }

    /// <summary>Runs one API call with a timeout and turns its failure into a user-visible error.</summary>
    public async Task<T> CallAsync<T>(ClusterOperation operation, Func<IKubernetes, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var (found, value) = await RunAsync(operation, ct => call(Client, ct), nullOnNotFound: false, cancellationToken).ConfigureAwait(false);
        return found ? value! : throw new InvalidOperationException("unreachable");
    }

    /// <summary>As <see cref="CallAsync{T}"/>, but a 404 gives null instead of an error.</summary>
    public async Task<T?> TryCallAsync<T>(ClusterOperation operation, Func<IKubernetes, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        var (found, value) = await RunAsync(operation, ct => call(Client, ct), nullOnNotFound: true, cancellationToken).ConfigureAwait(false);
        return found ? value : null;
    }

    /// <summary>Reads <paramref name="path"/> with <see cref="Api"/>, with the timeout and the errors of <see cref="CallAsync{T}"/>.</summary>
    public async Task<T> ReadAsync<T>(ClusterOperation operation, string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var (found, value) = await RunAsync(operation, ct => Api.GetAsync(path, type, ct), nullOnNotFound: false, cancellationToken).ConfigureAwait(false);
        return found ? value! : throw new InvalidOperationException("unreachable");
    }

    /// <summary>As <see cref="ReadAsync{T}"/>, but a 404 gives null instead of an error.</summary>
    public async Task<T?> TryReadAsync<T>(ClusterOperation operation, string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var (found, value) = await RunAsync(operation, ct => Api.GetAsync(path, type, ct), nullOnNotFound: true, cancellationToken).ConfigureAwait(false);
        return found ? value : null;
    }

    private async Task<(bool Found, T? Value)> RunAsync<T>(ClusterOperation operation, Func<CancellationToken, Task<T>> call, bool nullOnNotFound, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            return (true, await call(timeout.Token).ConfigureAwait(false));
        }
        catch (Exception ex) when (nullOnNotFound && KubernetesFailures.IsNotFound(ex))
        {
            return (false, default);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw KubernetesFailures.TimedOut(operation, Target, CallTimeout);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw KubernetesFailures.Translate(ex, operation, Target);
        }
    }

    /// <summary>As <see cref="CallAsync{T}"/> for calls without a result.</summary>
    public Task CallAsync(ClusterOperation operation, Func<IKubernetes, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        CallAsync(operation, async (client, ct) =>
        {
            await call(client, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public void Dispose()
    {
        Api.Dispose();
        lock (gate)
        {
            client?.Dispose();
        }
    }
}
