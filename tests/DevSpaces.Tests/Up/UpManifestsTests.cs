using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Core.Up;
using k8s.Models;

namespace DevSpaces.Tests.Up;

public class UpManifestsTests
{
    private string folder = null!;

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("devspaces-up-manifests-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, true);

    [Test]
    public void The_Built_Image_Replaces_The_Service_Image_And_The_Helper_Runs_The_App_Command()
    {
        var project = Project(Manifest("api", "api:latest", "api", ports: true), container: null);
        var manifests = UpManifests.Load(project, "dev");
        manifests.Prepare(project, "api:ds-123", new HelperPlacement("devspaces/helper:ds-9", null, ["dotnet", "Api.dll"], "/app", "api-devspaces-helper"));

        var deployment = manifests.Objects.OfType<V1Deployment>().Single();
        var container = deployment.Spec.Template.Spec.Containers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(container.Image, Is.EqualTo("api:ds-123"));
            Assert.That(container.Command, Is.EqualTo(new[] { HelperInjection.Executable, "run", "--root", "/app", "--", "dotnet", "Api.dll" }));
            Assert.That(deployment.Spec.Template.Spec.InitContainers.Single().Image, Is.EqualTo("devspaces/helper:ds-9"));
            Assert.That(manifests.Objects.Select(o => o.Metadata.Labels[UpLabels.Service]), Is.All.EqualTo("api"), "every object is labelled as the service's");
            Assert.That(deployment.Spec.Template.Metadata.Labels[UpLabels.Service], Is.EqualTo("api"));
            Assert.That(container.Ports.Single().Protocol, Is.EqualTo("TCP"), "server-side apply needs the protocol of a port");
            Assert.That(manifests.Objects.OfType<V1Service>().Single().Spec.Ports.Single().Protocol, Is.EqualTo("TCP"));
        });
    }

    [Test]
    public void A_Manifest_Naming_Another_Namespace_Is_Refused_Naming_The_File_And_The_Object()
    {
        var project = Project(Manifest("api", "api", "api", ns: "prod"), container: null);
        var error = Assert.Throws<DevSpacesException>(() => UpManifests.Load(project, "dev"));
        Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.ProjectInvalid));
        Assert.That(error.Message, Does.Contain("k8s/api.yaml").And.Contain("Deployment/api").And.Contain("'prod'"));
        Assert.That(error.Hint, Does.Contain("metadata.namespace"));
    }

    [Test]
    public void An_Object_Kind_Up_Does_Not_Deploy_Is_Refused_With_The_Kinds_It_Does()
    {
        var project = Project(Manifest("api", "api", "api") + "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: wide\n", container: null);
        var error = Assert.Throws<DevSpacesException>(() => UpManifests.Load(project, "dev"));
        Assert.That(error!.Message, Does.Contain("ClusterRole"));
        Assert.That(error.Hint, Does.Contain("apps/v1 Deployment"));
    }

    [Test]
    public void Two_Containers_Neither_Named_Like_The_Service_Ask_For_Deploy_Container()
    {
        var project = Project(Manifest("web", "a", "first", second: "second"), container: null, service: "api");
        var error = Assert.Throws<DevSpacesException>(() => UpManifests.Load(project, "dev"));
        Assert.That(error!.Message, Does.Contain("first").And.Contain("second"));
        Assert.That(error.Hint, Does.Contain("deploy.container"));
    }

    [Test]
    public void A_Named_Container_That_Does_Not_Exist_Lists_The_Containers_There_Are()
    {
        var project = Project(Manifest("api", "api", "api"), container: "worker");
        var error = Assert.Throws<DevSpacesException>(() => UpManifests.Load(project, "dev"));
        Assert.That(error!.Message, Does.Contain("'worker'").And.Contain("Deployment/api: api"));
    }

    [Test]
    public void A_Record_Keeps_The_First_Original_Of_An_Object_And_Drops_Server_Fields()
    {
        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta { Name = "api", ResourceVersion = "42", Uid = "u", Labels = new Dictionary<string, string> { ["team"] = "a" } },
            Spec = new V1ServiceSpec { ClusterIP = "10.0.0.9" },
            Status = new V1ServiceStatus(),
        };
        var record = UpRecord.Empty
            .With(new UpRecordEntry("Service", "api", UpRecord.Original(service)))
            .With(new UpRecordEntry("Service", "api", null))
            .With(new UpRecordEntry("Deployment", "api", null));
        var parsed = UpRecord.Parse(record.Serialize());

        Assert.That(parsed.Objects.Select(o => $"{o.Kind}/{o.Name}"), Is.EqualTo(new[] { "Service/api", "Deployment/api" }));
        var original = parsed.Find("Service", "api")!.Original!;
        Assert.That(original, Does.Contain("10.0.0.9").And.Contain("\"team\""));
        Assert.That(original, Does.Not.Contain("resourceVersion").And.Not.Contain("\"uid\"").And.Not.Contain("status"));
    }

    private ProjectFile Project(string manifest, string? container, string service = "api")
    {
        Directory.CreateDirectory(Path.Combine(folder, "k8s"));
        File.WriteAllText(Path.Combine(folder, "k8s", "api.yaml"), manifest);
        return new ProjectFile(
            Path.Combine(folder, ProjectFile.FileName),
            service,
            new ProjectBuild(folder, Path.Combine(folder, "Dockerfile"), new Dictionary<string, string>(), service),
            new ProjectDeploy([Path.Combine(folder, "k8s", "api.yaml")], container),
            ProjectRun.Image,
            null,
            [],
            null);
    }

    private static string Manifest(string name, string image, string container, string? ns = null, bool ports = false, string? second = null) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
        {{(ns != null ? $"  namespace: {ns}" : "")}}
        spec:
          selector:
            matchLabels: { app: {{name}} }
          template:
            metadata:
              labels: { app: {{name}} }
            spec:
              containers:
                - name: {{container}}
                  image: {{image}}
        {{(ports ? "          ports: [{ containerPort: 8080 }]" : "")}}
        {{(second != null ? $"        - name: {second}\n          image: other" : "")}}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {{name}}
        spec:
          selector: { app: {{name}} }
          ports: [{ port: 80, targetPort: 8080 }]

        """;
}
