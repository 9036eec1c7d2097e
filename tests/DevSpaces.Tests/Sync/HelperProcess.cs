using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Sync;

/// <summary>
/// The built helper started as a real process (<c>devspaces-helper run</c>), optionally as PID 1 of a new PID
/// namespace as in a container; its stderr lines are collected.
/// </summary>
public sealed partial class HelperProcess : IAsyncDisposable
{
    private readonly Process process;

    private HelperProcess(Process process, string key)
    {
        this.process = process;
        Key = key;
    }

    public string Key { get; }

    public Signal<string> Log { get; } = new();

    public TempDirectory Container { get; } = new();

    public int Port { get; private set; }

    public Process Process => process;

    /// <summary>Whether this machine lets a test start the helper as PID 1 of its own PID namespace (root and <c>unshare</c>).</summary>
    public static bool CanRunAsPidOne => Environment.UserName == "root" && File.Exists("/usr/bin/unshare");

    public static async Task<HelperProcess> StartAsync(bool asPidOne, params string[] command)
    {
        var helperDll = Path.Combine(TestContext.CurrentContext.TestDirectory, "devspaces-helper.dll");
        var key = DevSpaces.Tunnel.TunnelHandshake.NewKey();
        var start = new ProcessStartInfo(asPidOne ? "/usr/bin/unshare" : "dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        if (asPidOne)
        {
            foreach (var arg in new[] { "--pid", "--fork", "--kill-child", "dotnet" })
            {
                start.ArgumentList.Add(arg);
            }
        }

        var helper = new HelperProcess(new Process { StartInfo = start }, key);
        foreach (var arg in new[] { helperDll, "run", "--root", helper.Container.Path, "--listen", "127.0.0.1:0", "--grace", "5", "--" }.Concat(command))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[HelperProtocol.KeyVariable] = key;
        helper.process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                helper.Log.Add(e.Data);
            }
        };
        helper.process.OutputDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                helper.Log.Add("app: " + e.Data);
            }
        };
        helper.process.Start();
        helper.process.BeginErrorReadLine();
        helper.process.BeginOutputReadLine();
        var listening = await helper.Log.WaitForAsync(l => l.Contains("listening on"), TimeSpan.FromSeconds(30), "the helper to listen");
        helper.Port = int.Parse(ListeningPort().Match(listening).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return helper;
    }

    public async Task<HelperClient> ConnectAsync()
    {
        var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, Port);
        return await HelperClient.ConnectAsync(socket.GetStream(), Key, SyncTrees.Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
        Container.Dispose();
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningPort();
}
