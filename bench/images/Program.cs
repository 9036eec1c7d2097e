using System.Diagnostics;
using DevSpaces.Bench.Images;
using DevSpaces.Core.Images;
using k8s;

// Image build + delivery of the sample API after a one-line change: DevSpaces vs `docker build` alone, same run.
var repo = args.Length > 0 ? args[0] : throw new ArgumentException("usage: ImageBench <repository root>");
var rounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_ROUNDS") ?? "2");
var sample = Directory.Exists(Path.Combine(repo, "samples/api")) ? Path.Combine(repo, "samples/api") : Path.Combine(repo, "bench/images/sample-api");
var kubeconfig = Environment.GetEnvironmentVariable("DEVSPACES_TEST_KUBECONFIG") ?? Environment.GetEnvironmentVariable("KUBECONFIG");
var buildArgs = new Dictionary<string, string>
{
    ["SDK_IMAGE"] = "devspaces.local/dotnet-sdk:10.0",
    ["RUNTIME_IMAGE"] = "devspaces.local/dotnet-aspnet:10.0",
};

// Work on a copy: the one-line changes must not touch the repository.
var work = Directory.CreateTempSubdirectory("devspaces-image-bench-");
CopyFolder(sample, work.FullName);
var program = Directory.EnumerateFiles(work.FullName, "Program.cs").Single();
var repository = $"devspaces-bench/api-{Guid.NewGuid().ToString("N")[..6]}";
var dockerTag = $"{repository}-docker:latest";
using var docker = DockerEngine.Connect();
using var cluster = kubeconfig is null ? null : new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
var builder = new ImageBuilder(docker);
var created = new List<string>();
var change = 0;

// A nonce per run, so no build can reuse layers cached by an earlier run.
var runId = Guid.NewGuid().ToString("N");
void OneLineChange() => File.AppendAllText(program, $"// change {runId} {++change}{Environment.NewLine}");

// One delivery object, as the daemon keeps one per cluster connection.
var delivery = new ImageDelivery(docker, cluster, new ImageDeliverySettings());

async Task<TimeSpan> DevSpacesAsync()
{
    var watch = Stopwatch.StartNew();
    var built = await builder.BuildAsync(new ImageBuildRequest(work.FullName, repository) { BuildArgs = buildArgs }, null, CancellationToken.None);
    var delivered = await delivery.DeliverAsync(built.Reference, null, null, CancellationToken.None);
    watch.Stop();
    created.Add(built.Reference);
    created.Add(delivered.Reference);
    return watch.Elapsed;
}

async Task RunDockerAsync(params string[] arguments)
{
    using var process = Process.Start(new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var stderr = process.StandardError.ReadToEndAsync();
    await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"docker {string.Join(' ', arguments)} failed: {await stderr}");
    }
}

async Task<TimeSpan> DevSpacesPushAsync(ImageDelivery push)
{
    var watch = Stopwatch.StartNew();
    var built = await builder.BuildAsync(new ImageBuildRequest(work.FullName, repository) { BuildArgs = buildArgs }, null, CancellationToken.None);
    var delivered = await push.DeliverAsync(built.Reference, null, null, CancellationToken.None);
    watch.Stop();
    created.Add(built.Reference);
    created.Add(delivered.Reference);
    return watch.Elapsed;
}

async Task<TimeSpan> DockerBuildPushAsync(string registryTag)
{
    var watch = Stopwatch.StartNew();
    await DockerBuildAsync();
    await RunDockerAsync("tag", dockerTag, registryTag);
    await RunDockerAsync("push", registryTag);
    watch.Stop();
    created.Add(registryTag);
    return watch.Elapsed;
}

async Task<TimeSpan> DockerBuildAsync()
{
    var arguments = new List<string> { "build", "-q", "-t", dockerTag };
    foreach (var (name, value) in buildArgs)
    {
        arguments.AddRange(["--build-arg", $"{name}={value}"]);
    }

    arguments.Add(work.FullName);
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var stderr = process.StandardError.ReadToEndAsync();
    await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    watch.Stop();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"docker build failed: {await stderr}");
    }

    return watch.Elapsed;
}

try
{
    Console.Error.WriteLine($"Sample: {sample}; warming the build cache (base images, restore layer)...");
    var sharesEngine = await delivery.SharesEngineAsync(null, CancellationToken.None);
    await DevSpacesAsync();
    await DockerBuildAsync();

    var devspaces = new List<TimeSpan>();
    var dockerOnly = new List<TimeSpan>();
    for (var round = 0; round < rounds; round++)
    {
        OneLineChange();
        devspaces.Add(await DevSpacesAsync());
        OneLineChange();
        dockerOnly.Add(await DockerBuildAsync());
    }

    // Unchanged sources: DevSpaces only hashes; docker build walks its cache.
    var unchangedDevSpaces = await DevSpacesAsync();
    var unchangedDocker = await DockerBuildAsync();

    // A cluster that does not share the engine: deliver through a real registry on loopback.
    await using var registry = await BenchRegistry.StartAsync();
    var push = new ImageDelivery(docker, cluster, new ImageDeliverySettings { Registry = $"{registry.Address}/bench", SharedEngine = false });
    var registryTag = $"{registry.Address}/bench/docker-cli:latest";
    await DevSpacesPushAsync(push);
    await DockerBuildPushAsync(registryTag);
    var pushDevSpaces = new List<TimeSpan>();
    var pushDocker = new List<TimeSpan>();
    for (var round = 0; round < rounds; round++)
    {
        OneLineChange();
        pushDevSpaces.Add(await DevSpacesPushAsync(push));
        OneLineChange();
        pushDocker.Add(await DockerBuildPushAsync(registryTag));
    }

    Console.WriteLine();
    Console.WriteLine($"Image build + delivery of {Path.GetFileName(sample)} ({rounds} rounds, median); the cluster {(sharesEngine ? "shares this engine: delivery is a no-op" : "does not share this engine")}");
    Console.WriteLine($"{"scenario",-44} {"devspaces",11} {"docker build",13} {"ratio",7}");
    Row("one-line change: build + deliver", Median(devspaces), Median(dockerOnly));
    Row("no change: build + deliver", unchangedDevSpaces, unchangedDocker);
    Console.WriteLine("(ratio > 1 means DevSpaces is faster; with a shared engine docker build alone is the whole job)");
    Console.WriteLine();
    Console.WriteLine($"{"with a registry (loopback docker-registry)",-44} {"devspaces",11} {"docker b+push",13} {"ratio",7}");
    Row("one-line change: build + push", Median(pushDevSpaces), Median(pushDocker));
}
finally
{
    foreach (var reference in created.Append(dockerTag).Distinct())
    {
        try
        {
            await docker.Images.DeleteImageAsync(reference, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
        }
        catch (Docker.DotNet.DockerApiException)
        {
        }
    }

    work.Delete(recursive: true);
}

static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

static void Row(string name, TimeSpan devspaces, TimeSpan docker) =>
    Console.WriteLine($"{name,-44} {devspaces.TotalSeconds,10:0.00}s {docker.TotalSeconds,12:0.00}s {docker / devspaces,6:0.00}x");

static void CopyFolder(string from, string to)
{
    foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
    {
        var relative = Path.GetRelativePath(from, file);
        if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
        {
            continue;
        }

        var target = Path.Combine(to, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target);
    }
}
