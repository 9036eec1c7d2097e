using System.Reflection;
using System.Text.Json;
using DevSpaces.Cli.Daemon;
using DevSpaces.Contracts;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace DevSpaces.Tests.Support;

/// <summary>
/// A client speaking the extension's wire protocol (Content-Length framing, JSON, params by name) to a
/// daemon, recording its notifications: the daemon runs in this process on an in-memory duplex stream
/// (<see cref="Start"/>) or is any process attached by its stdio (<see cref="Attach"/>).
/// </summary>
public sealed class DaemonConnection : IAsyncDisposable
{
    /// <summary>The longest a call may take: a make-before-break takeover (connect/start) waits for the original's containers to stop, which takes tens of seconds on a loaded machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly IAsyncDisposable transport;

    private DaemonConnection(JsonRpc client, IAsyncDisposable transport, Task<int> host, CollectingLog log)
    {
        Client = client;
        this.transport = transport;
        Host = host;
        Log = log;
    }

    public JsonRpc Client { get; }

    public Task<int> Host { get; }

    public CollectingLog Log { get; }

    /// <summary>The daemon's process id when it runs as a process of its own (<see cref="DaemonProcess.Connect"/>).</summary>
    public int? ProcessId => (transport as DaemonProcess)?.Process.Id;

    public Signal<RpcNotification> Notifications { get; } = new();

    public static DaemonConnection Start(DaemonOptions options)
    {
        var (daemonSide, clientSide) = FullDuplexStream.CreatePair();
        var log = new CollectingLog();
        var host = Task.Run(() => DaemonHost.RunAsync(daemonSide, daemonSide, options, log, CancellationToken.None));
        return Attach(clientSide, clientSide, host, log, clientSide);
    }

    /// <summary>A client on streams to and from a daemon whose run ends with <paramref name="host"/>.</summary>
    public static DaemonConnection Attach(Stream toDaemon, Stream fromDaemon, Task<int> host, CollectingLog log, IAsyncDisposable transport)
    {
        var formatter = new SystemTextJsonFormatter();
        RpcJson.Configure(formatter.JsonSerializerOptions);
        var client = new ContractClient(new HeaderDelimitedMessageHandler(toDaemon, fromDaemon, formatter));
        var connection = new DaemonConnection(client, transport, host, log);
        var on = typeof(NotificationSink).GetMethod(nameof(NotificationSink.On))!;
        foreach (var name in typeof(RpcNotifications).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!))
        {
            client.AddLocalRpcMethod(on, new NotificationSink(name, connection.Notifications), new JsonRpcMethodAttribute(name) { UseSingleObjectParameterDeserialization = true });
        }

        client.StartListening();
        return connection;
    }

    public async Task<T> CallAsync<T>(string method, object? args = null)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await Client.InvokeWithParameterObjectAsync<T>(method, args ?? new { }, cts.Token);
    }

    public async Task<InitializeResult> InitializeAsync(string? workspaceFolder) =>
        await CallAsync<InitializeResult>("initialize", new { clientName = "tests", clientVersion = "0", workspaceFolder });

    /// <summary>Calls <paramref name="method"/> and returns its error; fails when it succeeds.</summary>
    public async Task<RpcError> ExpectErrorAsync(string method, object? args = null)
    {
        try
        {
            var result = await CallAsync<JsonElement>(method, args);
            Assert.Fail($"{method} succeeded with {result.GetRawText()}, an error was expected");
            throw new InvalidOperationException();
        }
        catch (RemoteInvocationException ex)
        {
            var data = ex.DeserializedErrorData as ErrorData;
            return new RpcError(ex.ErrorCode, ex.Message, data?.Hint, data?.Detail);
        }
    }

    /// <summary>The daemon's exit code, failing if it does not exit in time.</summary>
    public async Task<int> WaitForExitAsync(string because)
    {
        var finished = await Task.WhenAny(Host, Task.Delay(Timeout));
        Assert.That(finished, Is.SameAs(Host), $"the daemon did not exit within {Timeout.TotalSeconds} s after {because}");
        return await Host;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Task.WhenAny(Host, Task.Delay(Timeout));
        await transport.DisposeAsync();
    }

    /// <summary>Reads error data as the contract's <see cref="ErrorData"/>.</summary>
    private sealed class ContractClient(IJsonRpcMessageHandler handler) : JsonRpc(handler)
    {
        protected override Type? GetErrorDetailsDataType(StreamJsonRpc.Protocol.JsonRpcError error) =>
            (int?)error.Error?.Code is >= 1000 and <= 1999 ? typeof(ErrorData) : base.GetErrorDetailsDataType(error);
    }

    /// <summary>Receives one notification name.</summary>
    public sealed class NotificationSink(string method, Signal<RpcNotification> into)
    {
        public void On(JsonElement parameters) => into.Add(new RpcNotification(method, parameters.Clone()));
    }
}
