using System.Net;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Core.Images;
using DevSpaces.Core.Project;
using Docker.DotNet;
using Docker.DotNet.Models;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Project;

/// <summary>What <c>devspaces prep</c> writes builds with the product's image build and runs in the cluster.</summary>
public class PrepClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Test]
    public async Task The_Generated_Files_Of_The_Node_Sample_Build_Deploy_And_Answer()
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var cluster = await TestCluster.ConnectAsync();
        using var docker = DockerEngine.Connect();
        var folder = Directory.CreateTempSubdirectory("devspaces-prep-").FullName;
        string? ns = null;
        string? reference = null;
        try
        {
            // The sample front end without its own Dockerfile, so prep writes one.
            var sample = Path.Combine(TestCluster.RepositoryRoot, "samples", "frontend");
            foreach (var name in new[] { "package.json", "server.js" })
            {
                File.Copy(Path.Combine(sample, name), Path.Combine(folder, name));
            }

            var prepared = ProjectPreparer.Prepare(folder, "web");
            Assert.That(prepared.Written, Does.Contain("Dockerfile"));
            var reading = ProjectFileReader.Read(Path.Combine(folder, ProjectFile.FileName));
            Assert.That(reading.Problems, Is.Empty, string.Join("\n", reading.Lines("devspaces.yaml")));
            var project = reading.File!;

            // As on any cluster without a registry: the local base image instead of the public default.
            var args = project.Build.Args.ToDictionary(a => a.Key, a => a.Value);
            args["NODE_IMAGE"] = "devspaces.local/node:20";
            var built = await new ImageBuilder(docker).BuildAsync(
                new ImageBuildRequest(project.Build.Context, "devspaces-test/prep-" + Guid.NewGuid().ToString("N")[..8])
                {
                    Dockerfile = project.Build.Dockerfile,
                    BuildArgs = args,
                },
                null,
                cts.Token);
            reference = built.Reference;

            ns = await cluster.CreateNamespaceAsync("prep", cts.Token);
            var objects = project.Deploy.Manifests.SelectMany(m => KubernetesYaml.LoadAllFromString(File.ReadAllText(m))).ToList();
            var deployment = objects.OfType<V1Deployment>().Single();
            var container = deployment.Spec.Template.Spec.Containers.Single(c => c.Name == project.Deploy.Container);
            Assert.That(container.Image, Is.EqualTo(project.Build.Image), "the manifests name the image devspaces.yaml builds");
            container.Image = built.Reference;
            await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns, cancellationToken: cts.Token);
            var service = await cluster.Client.CoreV1.CreateNamespacedServiceAsync(objects.OfType<V1Service>().Single(), ns, cancellationToken: cts.Token);

            await ClusterWaits.DeploymentReadyAsync(cluster.Client, ns, deployment.Metadata.Name, Timeout);
            await ClusterWaits.EndpointsReadyAsync(cluster.Client, ns, service.Metadata.Name, Timeout);

            // Through the Service's ClusterIP (routed to the node on this machine) to the pod's port 8080.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var url = $"http://{service.Spec.ClusterIP}:{service.Spec.Ports.Single().Port}/healthz";
            string? body = null;
            await ClusterWaits.ConditionAsync(
                async () =>
                {
                    try
                    {
                        using var response = await http.GetAsync(url, cts.Token);
                        body = await response.Content.ReadAsStringAsync(cts.Token);
                        return response.StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(60),
                () => $"{url} answers 200 (last answer: {body ?? "none"})");
            Assert.That(body, Does.Contain("\"service\":\"frontend\""));
        }
        finally
        {
            if (ns != null)
            {
                await cluster.DeleteNamespaceAsync(ns);
                await ClusterWaits.ConditionAsync(
                    async () =>
                    {
                        try
                        {
                            await cluster.Client.CoreV1.ReadNamespaceAsync(ns);
                            return false;
                        }
                        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
                        {
                            return true;
                        }
                    },
                    TimeSpan.FromSeconds(120),
                    () => $"namespace {ns} is gone");
            }

            if (reference != null)
            {
                try
                {
                    await docker.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true });
                }
                catch (DockerImageNotFoundException)
                {
                }
            }

            Directory.Delete(folder, recursive: true);
        }
    }
}
