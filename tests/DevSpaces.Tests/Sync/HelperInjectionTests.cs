using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;
using k8s.Models;

namespace DevSpaces.Tests.Sync;

public sealed class HelperInjectionTests
{
    private static V1PodSpec Pod() => new()
    {
        Containers =
        [
            new V1Container { Name = "sidecar", Image = "proxy" },
            new V1Container { Name = "api", Image = "api:1", Args = ["--port", "80"], Env = [new V1EnvVar { Name = "A", Value = "1" }] },
        ],
    };

    [Test]
    public void The_App_Container_Runs_The_Helper_Which_Runs_The_App_Command()
    {
        var pod = Pod();
        HelperInjection.Apply(pod, "api", "devspaces-helper:1", ["dotnet", "api.dll", "--port", "80"], "/app", "api-sync", "key");

        var api = pod.Containers[1];
        Assert.That(api.Command, Is.EqualTo(new[] { "/devspaces/devspaces-helper", "run", "--root", "/app", "--", "dotnet", "api.dll", "--port", "80" }));
        Assert.That(api.Args, Is.Null);
        Assert.That(api.VolumeMounts.Single().MountPath, Is.EqualTo("/devspaces"));
        Assert.That(api.VolumeMounts.Single().ReadOnlyProperty, Is.True);
        Assert.That(api.Env.Select(e => e.Name), Is.EqualTo(new[] { "A", HelperProtocol.KeyVariable }));
        Assert.That(api.Env[1].ValueFrom.SecretKeyRef.Name, Is.EqualTo("api-sync"));
        Assert.That(pod.Containers[0].Command, Is.Null, "other containers stay as they are");

        var init = pod.InitContainers.Single();
        Assert.That(init.Image, Is.EqualTo("devspaces-helper:1"));
        Assert.That(init.Command, Is.EqualTo(new[] { "/devspaces-helper", "install", "/devspaces" }));
        Assert.That(init.SecurityContext.Capabilities.Drop, Is.EqualTo(new[] { "ALL" }));
        Assert.That(pod.Volumes.Single().EmptyDir, Is.Not.Null);
    }

    [Test]
    public void Applying_It_Again_Replaces_The_Earlier_Injection()
    {
        var pod = Pod();
        HelperInjection.Apply(pod, "api", "devspaces-helper:1", ["node", "server.js"], "/app", "api-sync", "key");
        HelperInjection.Apply(pod, "api", "devspaces-helper:2", ["node", "server.js"], "/srv", "api-sync", "key");

        Assert.That(pod.InitContainers.Single().Image, Is.EqualTo("devspaces-helper:2"));
        Assert.That(pod.Volumes, Has.Count.EqualTo(1));
        Assert.That(pod.Containers[1].VolumeMounts, Has.Count.EqualTo(1));
        Assert.That(pod.Containers[1].Env.Count(e => e.Name == HelperProtocol.KeyVariable), Is.EqualTo(1));
        Assert.That(pod.Containers[1].Command[3], Is.EqualTo("/srv"));
    }

    [Test]
    public void An_Unknown_Container_Or_An_Empty_Command_Is_Refused()
    {
        Assert.Throws<ArgumentException>(() => HelperInjection.Apply(Pod(), "web", "h", ["x"], "/app", "s", "key"));
        var error = Assert.Throws<ArgumentException>(() => HelperInjection.Apply(Pod(), "api", "h", [], "/app", "s", "key"));
        Assert.That(error!.Message, Does.Contain("run.command"));
    }

    [TestCase(new[] { "java", "-jar", "app.jar" }, null, new[] { "java", "-jar", "app.jar" })]
    [TestCase(new[] { "java" }, new[] { "-jar", "x.jar" }, new[] { "java", "-jar", "x.jar" })]
    [TestCase(null, new[] { "--port", "80" }, new[] { "dotnet", "api.dll", "--port", "80" })]
    [TestCase(null, null, new[] { "dotnet", "api.dll", "--default" })]
    public void The_Effective_Command_Follows_Kubernetes_Rules(string[]? command, string[]? args, string[] expected)
    {
        var container = new V1Container { Name = "api", Command = command, Args = args };
        Assert.That(HelperInjection.EffectiveCommand(container, ["dotnet", "api.dll"], ["--default"]), Is.EqualTo(expected));
    }
}
