using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Watch;
using DevSpaces.Tests.Support;
using DevSpaces.Tests.Watch;
using k8s.Models;

namespace DevSpaces.Tests.PortForwarding;

/// <summary>How a forward starts, decided in process: the target's pods come from a scripted source, and no pod is ever dialled.</summary>
public class PortForwardStartTests
{
    private static V1Pod Pod(string name, bool ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, ResourceVersion = "1", CreationTimestamp = DateTime.UnixEpoch },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] }] },
        Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    private static Task<PortForwardSession> StartAsync(FakeTargets targets, int localPort, string remote, Signal<PortForwardEvent>? events = null) =>
        PortForwardSession.StartAsync(
            targets,
            new UnusedConnector(),
            new PortForwardRequest(PortForwardTarget.Parse(targets.Target, "dev"), [PortMapping.Parse($"{localPort}:{remote}")])
            {
                ReadyPodTimeout = TimeSpan.FromMilliseconds(300),
                WarmConnections = 0,
            },
            new CallbackProgress(events),
            CancellationToken.None);

    [Test]
    public async Task With_A_Ready_Pod_The_Local_Port_Listens_And_The_Pod_Is_Reported()
    {
        var targets = new FakeTargets("deployment/web", null, Pod("web-1", ready: true));
        var events = new Signal<PortForwardEvent>();
        var port = LoopbackPorts.Free();

        await using (var forward = await StartAsync(targets, port, "http", events))
        {
            Assert.Multiple(() =>
            {
                Assert.That(forward.CurrentPod, Is.EqualTo("web-1"));
                Assert.That(forward.Ports.Single().LocalEndPoint.Port, Is.EqualTo(port));
                Assert.That(LoopbackPorts.IsFree(port), Is.False);
                Assert.That(events.Snapshot().Select(e => e.Kind), Does.Contain(ForwardEventKind.PodSelected).And.Contain(ForwardEventKind.Listening));
            });
        }

        Assert.That(LoopbackPorts.IsFree(port), Is.True, "disposing the forward frees the port");
    }

    [Test]
    public void Without_A_Ready_Pod_In_Time_The_Start_Fails_Saying_Why_And_Frees_The_Port()
    {
        var targets = new FakeTargets("deployment/web", null, Pod("web-1", ready: false));
        var port = LoopbackPorts.Free();

        var error = Assert.ThrowsAsync<DevSpacesException>(() => StartAsync(targets, port, "8080"));

        Assert.Multiple(() =>
        {
            Assert.That(error?.ErrorCode, Is.EqualTo(RpcErrorCode.NoReadyPod));
            Assert.That(error?.Message, Does.Contain("pod web-1: running but its readiness probe does not pass yet"));
            Assert.That(LoopbackPorts.IsFree(port), Is.True, "nothing stays bound after a failed start");
        });
    }

    [Test]
    public void A_Service_Port_The_Service_Lacks_Is_Refused_Before_Any_Port_Is_Bound()
    {
        var service = new V1Service { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "web", Port = 80, TargetPort = "http" }] } };
        var targets = new FakeTargets("service/web", service, Pod("web-1", ready: true));

        var error = Assert.ThrowsAsync<DevSpacesException>(() => StartAsync(targets, LoopbackPorts.Free(), "9999"));

        Assert.Multiple(() =>
        {
            Assert.That(error?.ErrorCode, Is.EqualTo(RpcErrorCode.UnknownRemotePort));
            Assert.That(error?.Message, Does.Contain("no port 9999"));
            Assert.That(targets.Watched, Is.False, "the pods are not even watched");
        });
    }

    [Test]
    public void A_Named_Port_No_Container_Declares_Is_Refused_With_The_Names_There_Are()
    {
        var targets = new FakeTargets("pod/web-1", null, Pod("web-1", ready: true));

        var error = Assert.ThrowsAsync<DevSpacesException>(() => StartAsync(targets, LoopbackPorts.Free(), "grpc"));

        Assert.Multiple(() =>
        {
            Assert.That(error?.Message, Does.Contain("no container port named 'grpc'"));
            Assert.That(error?.Hint, Does.Contain("http (8080)"));
        });
    }

    /// <summary>One target whose pods are listed once and then never change.</summary>
    private sealed class FakeTargets(string target, V1Service? service, params V1Pod[] pods) : IForwardTargets
    {
        public string Target => target;

        public bool Watched { get; private set; }

        public Task<ResolvedTarget> ResolveAsync(PortForwardTarget forwardTarget, CancellationToken cancellationToken) =>
            Task.FromResult(new ResolvedTarget(forwardTarget, new PodSelection(forwardTarget.Namespace, "app=web", null), service));

        public IWatchSource<V1Pod> PodsOf(PodSelection selection)
        {
            Watched = true;
            return new ScriptedWatchSource<V1Pod>().List("1", pods);
        }
    }

    private sealed class UnusedConnector : IPodPortConnector
    {
        public Task<PodPortChannel> ConnectAsync(string @namespace, string pod, int port, CancellationToken cancellationToken) =>
            throw new AssertionException("no pod connection is opened while starting");
    }

    private sealed class CallbackProgress(Signal<PortForwardEvent>? events) : IProgress<PortForwardEvent>
    {
        public void Report(PortForwardEvent value) => events?.Add(value);
    }
}
