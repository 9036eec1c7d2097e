using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tunnel;

// Sync figures, each against a baseline measured in the same run:
//  - a no-change rescan of 10,000 files (FolderScanner) vs `find -printf` of sizes and times (the walk alone);
//  - the initial sync of 2,000 files / 50 MB (scan with hashing, plan, send, apply, tree hash) through the NativeAOT
//    helper on loopback vs `tar c | tar x` through a pipe.
var helperPath = args.Length > 0 ? Path.GetFullPath(args[0]) : throw new ArgumentException("usage: SyncBench <devspaces-helper executable>");
var rounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_ROUNDS") ?? "5", CultureInfo.InvariantCulture);
var work = Directory.CreateTempSubdirectory("devspaces-bench-sync-").FullName;
try
{
    Console.WriteLine($"helper: {helperPath} ({new FileInfo(helperPath).Length / 1024} KB), {rounds} rounds, medians");

    // 1. No-change rescan.
    var tree = Path.Combine(work, "tree10k");
    WriteTree(tree, 10_000, 1_000, seed: 1);
    var scanner = new FolderScanner(tree, SyncRules.ForFolder(tree));
    var first = Stopwatch.StartNew();
    scanner.ScanAll();
    Console.WriteLine($"first scan of {scanner.Files.Count} files (hashing all): {first.ElapsedMilliseconds} ms");
    var rescans = new List<double>();
    var walks = new List<double>();
    for (var i = 0; i < rounds * 4; i++)
    {
        var watch = Stopwatch.StartNew();
        scanner.ScanAll();
        rescans.Add(watch.Elapsed.TotalMilliseconds);
        walks.Add(await TimeShellAsync($"find '{tree}' -type f -printf '%s %T@\\n' > /dev/null"));
    }

    Console.WriteLine($"no-change rescan of 10,000 files: {Median(rescans):0.0} ms (goal <= 100 ms); find -printf baseline {Median(walks):0.0} ms; ratio {Median(walks) / Median(rescans):0.00} (> 1: rescan faster)");

    // 2. Initial sync through the helper vs tar through a pipe.
    var source = Path.Combine(work, "src2k");
    var bytes = WriteTree(source, 2_000, 50 * 1024 * 1024 / 2_000, seed: 2);
    var container = Path.Combine(work, "container");
    var tarTarget = Path.Combine(work, "tar-target");
    var key = TunnelHandshake.NewKey();
    using var helper = StartHelper(helperPath, container, key, out var port);
    var helperTimes = new List<double>();
    var scanTimes = new List<double>();
    var tarTimes = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        Empty(container);
        Empty(tarTarget);
        var watch = Stopwatch.StartNew();
        var socket = new TcpClient { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using (var client = await HelperClient.ConnectAsync(socket.GetStream(), key, CancellationToken.None))
        {
            var local = new FolderScanner(source, SyncRules.ForFolder(source));
            local.ScanAll();
            scanTimes.Add(watch.Elapsed.TotalMilliseconds);
            var remote = (await client.ListFilesAsync(CancellationToken.None)).ToDictionary(f => f.Path);
            var plan = SyncPlanner.Plan(local.Files, remote, local.Rules, local.SkippedPaths);
            var applied = await client.ApplyAsync(plan, source, CancellationToken.None);
            helperTimes.Add(watch.Elapsed.TotalMilliseconds);
            if (applied.Result.TreeHash != TreeHash.Compute(local.Files.Values) || applied.Result.Problems.Count > 0)
            {
                throw new InvalidOperationException("The container's tree differs from the local one after the sync.");
            }
        }

        tarTimes.Add(await TimeShellAsync($"tar c -C '{source}' . | tar x -C '{tarTarget}'"));
    }

    Console.WriteLine($"initial sync of 2,000 files / {bytes / (1024 * 1024)} MB: helper {Median(helperTimes):0} ms (of which the local scan with hashing {Median(scanTimes):0} ms; then plan, send, apply, tree hash); tar c | tar x {Median(tarTimes):0} ms; ratio {Median(tarTimes) / Median(helperTimes):0.00} (>= 1: helper as fast or faster)");
    helper.Kill();
    await helper.WaitForExitAsync();
}
finally
{
    Directory.Delete(work, recursive: true);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

// Files of random (incompressible) content, sizes spread around the average, in nested folders.
static long WriteTree(string root, int count, int averageSize, int seed)
{
    var random = new Random(seed);
    long total = 0;
    for (var i = 0; i < count; i++)
    {
        var path = Path.Combine(root, $"m{i % 10}", $"p{i % 37}", $"file{i}.dat");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var data = new byte[random.Next(averageSize / 2, averageSize * 3 / 2)];
        random.NextBytes(data);
        File.WriteAllBytes(path, data);
        total += data.Length;
    }

    return total;
}

static void Empty(string folder)
{
    if (Directory.Exists(folder))
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    Directory.CreateDirectory(folder);
}

static async Task<double> TimeShellAsync(string command)
{
    var watch = Stopwatch.StartNew();
    using var shell = Process.Start(new ProcessStartInfo("bash", ["-c", command]))!;
    await shell.WaitForExitAsync();
    if (shell.ExitCode != 0)
    {
        throw new InvalidOperationException($"'{command}' failed with {shell.ExitCode}");
    }

    return watch.Elapsed.TotalMilliseconds;
}

static Process StartHelper(string path, string root, string key, out int port)
{
    var start = new ProcessStartInfo(path, ["run", "--root", root, "--listen", "127.0.0.1:0"]) { RedirectStandardError = true };
    start.Environment[HelperProtocol.KeyVariable] = key;
    var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
    var process = new Process { StartInfo = start };
    process.ErrorDataReceived += (_, e) =>
    {
        if (e.Data?.Contains("listening on", StringComparison.Ordinal) == true)
        {
            listening.TrySetResult(e.Data);
        }
        else if (e.Data != null)
        {
            Console.Error.WriteLine(e.Data);
        }
    };
    process.Start();
    process.BeginErrorReadLine();
    var line = listening.Task.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
    port = int.Parse(Regex.Match(line, @"listening on 127\.0\.0\.1:(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
    return process;
}
