using DevSpaces.Contracts;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Up;

/// <summary>
/// A service's manifests as <c>up</c> applies them: read from the files <c>devspaces.yaml</c> names, every object
/// labelled as this service's, the service's image replaced by the one just built, and the workload's container
/// running the app under the in-container helper.
/// </summary>
public sealed class UpManifests
{
    private UpManifests(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, IKubernetesObject<V1ObjectMeta> workload, V1PodTemplateSpec template, V1Container container)
    {
        Objects = objects;
        Workload = workload;
        Template = template;
        Container = container;
    }

    /// <summary>Every object, in the order of the files and documents.</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects { get; }

    /// <summary>The Deployment or StatefulSet whose pods run the code.</summary>
    public IKubernetesObject<V1ObjectMeta> Workload { get; }

    public V1PodTemplateSpec Template { get; }

    /// <summary>The container that runs the code.</summary>
    public V1Container Container { get; }

    /// <summary>What debug mode put into the code's container; null when not debugging.</summary>
    public DebugSetup? Debug { get; private set; }

    /// <summary>The labels that select the workload's pods.</summary>
    public IDictionary<string, string> Selector => Workload switch
    {
        V1Deployment d => d.Spec.Selector.MatchLabels,
        V1StatefulSet s => s.Spec.Selector.MatchLabels,
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Reads and checks the manifests; every problem names the file and says how to fix it.</summary>
    public static UpManifests Load(ProjectFile project, string ns)
    {
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var file in project.Deploy.Manifests)
        {
            var shown = Path.GetRelativePath(project.Folder, file);
            if (!File.Exists(file))
            {
                throw Invalid(project, $"The manifest file {shown} named in deploy.manifests does not exist.", "Create it (devspaces prep writes one), or fix the path in devspaces.yaml.");
            }

            List<object> documents;
            try
            {
                documents = KubernetesYaml.LoadAllFromString(File.ReadAllText(file));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw Invalid(project, $"{shown} is not valid Kubernetes YAML: {FirstLine(e.Message)}", "Fix the file; `kubectl apply --dry-run=client -f` shows the same problem.");
            }

            foreach (var document in documents.Where(d => d != null))
            {
                if (document is not IKubernetesObject<V1ObjectMeta> item || ObjectKinds.Find(item.ApiVersion, item.Kind) == null)
                {
                    var described = document is IKubernetesObject k ? $"{k.ApiVersion} {k.Kind}" : document.GetType().Name;
                    throw Invalid(project, $"{shown} holds a {described}, which devspaces up does not deploy.", $"Keep in the service's manifests only: {ObjectKinds.Supported}.");
                }

                if (string.IsNullOrEmpty(item.Metadata?.Name))
                {
                    throw Invalid(project, $"{shown} has a {item.Kind} without metadata.name.", "Give every object a name.");
                }

                if (item.Metadata.NamespaceProperty is { Length: > 0 } other && other != ns)
                {
                    throw Invalid(project, $"{shown}: {item.Kind}/{item.Name()} names namespace '{other}', but the service is deployed into the space '{ns}'.", "Remove metadata.namespace: the selected space decides where the service goes.");
                }

                item.Metadata.NamespaceProperty = null;
                DefaultProtocols(item);
                objects.Add(item);
            }
        }

        var (workload, template, container) = FindContainer(project, objects);
        return new UpManifests(objects, workload, template, container);
    }

    /// <summary>
    /// Puts the built image in place of the service's image (in every container that names it, and in the code's
    /// container in any case), labels every object as this service's, and makes the helper PID 1 of the code's
    /// container. In debug mode the app starts with its runtime's debugger on the pod's loopback and the container has
    /// no probes (<see cref="DebugInjection"/>).
    /// </summary>
    public void Prepare(ProjectFile project, string image, HelperPlacement? helper, UpDebug? debug = null)
    {
        foreach (var item in Objects)
        {
            item.Metadata.Labels ??= new Dictionary<string, string>();
            item.Metadata.Labels[UpLabels.Service] = project.Service;
            if (TemplateOf(item) is { } podTemplate)
            {
                foreach (var c in (podTemplate.Spec.Containers ?? []).Concat(podTemplate.Spec.InitContainers ?? []))
                {
                    if (c.Image == project.Build.Image || c.Image?.StartsWith(project.Build.Image + ":", StringComparison.Ordinal) == true)
                    {
                        c.Image = image;
                    }
                }
            }
        }

        Container.Image = image;
        if (project.Run.WorkingDir is { } workingDir)
        {
            Container.WorkingDir = workingDir;
        }

        if (project.Run.Command is { Count: > 0 } command)
        {
            Container.Command = [.. command];
            Container.Args = null;
        }

        Template.Metadata ??= new V1ObjectMeta();
        Template.Metadata.Labels ??= new Dictionary<string, string>();
        Template.Metadata.Labels[UpLabels.Service] = project.Service;
        if (helper != null)
        {
            var appCommand = HelperInjection.EffectiveCommand(Container, helper.ImageEntrypoint, helper.ImageCmd);
            Debug = debug == null ? null : DebugInjection.Apply(Container, appCommand, project.Folder, debug.StopOnEntry);
            if (Debug?.Runtime == Contracts.DebugRuntime.DotNet && debug?.DotNetDebuggerFolder != null)
            {
                DebugInjection.MountDebuggerFolder(Template.Spec, Container);
            }

            HelperInjection.Apply(Template.Spec, Container.Name, helper.Image, appCommand, helper.SyncRoot, helper.KeySecret, UpLabels.KeySecretKey);
        }
    }

    private static (IKubernetesObject<V1ObjectMeta>, V1PodTemplateSpec, V1Container) FindContainer(ProjectFile project, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects)
    {
        var workloads = objects.Where(o => TemplateOf(o) != null).ToList();
        if (workloads.Count == 0)
        {
            throw Invalid(project, "The manifests hold no Deployment or StatefulSet to run the code in.", "Add one (devspaces prep writes one), or list its file in deploy.manifests.");
        }

        var candidates = workloads
            .SelectMany(w => TemplateOf(w)!.Spec.Containers.Select(c => (Workload: w, Template: TemplateOf(w)!, Container: c)))
            .ToList();
        var wanted = project.Deploy.Container;
        var named = candidates.Where(c => c.Container.Name == (wanted ?? project.Service)).ToList();
        if (wanted != null && named.Count == 0)
        {
            throw Invalid(project, $"No container is named '{wanted}' (deploy.container) in the manifests: they have {string.Join(", ", candidates.Select(c => $"{c.Workload.Kind}/{c.Workload.Name()}: {c.Container.Name}"))}.", "Set deploy.container to one of them.");
        }

        var chosen = named.Count > 0 ? named : candidates.Count == 1 ? candidates : [];
        if (chosen.Count != 1)
        {
            throw Invalid(project, $"Which container runs the code is ambiguous: {string.Join(", ", candidates.Select(c => $"{c.Workload.Kind}/{c.Workload.Name()}: {c.Container.Name}"))}.", "Set deploy.container in devspaces.yaml.");
        }

        return chosen[0];
    }

    /// <summary>
    /// Ports are listed by port and protocol in server-side apply, and API servers before 1.20 reject a list entry
    /// without its protocol instead of defaulting it: say TCP where the manifest leaves it out, as Kubernetes would.
    /// </summary>
    private static void DefaultProtocols(IKubernetesObject<V1ObjectMeta> item)
    {
        foreach (var port in (item as V1Service)?.Spec?.Ports ?? [])
        {
            port.Protocol ??= "TCP";
        }

        var spec = TemplateOf(item)?.Spec;
        foreach (var container in (spec?.Containers ?? []).Concat(spec?.InitContainers ?? []))
        {
            foreach (var port in container.Ports ?? [])
            {
                port.Protocol ??= "TCP";
            }
        }
    }

    public static V1PodTemplateSpec? TemplateOf(IKubernetesObject<V1ObjectMeta> item) => item switch
    {
        V1Deployment d => d.Spec?.Template,
        V1StatefulSet s => s.Spec?.Template,
        _ => null,
    };

    private static DevSpacesException Invalid(ProjectFile project, string message, string fix) =>
        new(RpcErrorCode.ProjectInvalid, $"{Path.GetFileName(project.Path)} of '{project.Service}': {message}", fix);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

/// <summary>How the helper goes into the code's container.</summary>
/// <param name="Image">The helper's image as pods reach it.</param>
/// <param name="ImageEntrypoint">The app image's entrypoint, for the app's command when neither devspaces.yaml nor the manifest gives one.</param>
/// <param name="ImageCmd">The app image's cmd.</param>
/// <param name="SyncRoot">The container folder the project folder maps to.</param>
/// <param name="KeySecret">The Secret holding the session key.</param>
public sealed record HelperPlacement(string Image, IReadOnlyList<string>? ImageEntrypoint, IReadOnlyList<string>? ImageCmd, string SyncRoot, string KeySecret);
