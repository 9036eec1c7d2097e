using DevSpaces.ClusterTests.Connect;

// Fixtures run side by side: most of a cluster test's time is spent waiting on the cluster (pods starting and stopping,
// grace periods, kube-proxy), not working on this machine, and every fixture has namespaces of its own. A fixture that
// changes what the others depend on (the API server, this process's environment) or measures request loss under
// changes is [NonParallelizable] and runs alone.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(3)]

/// <summary>
/// What every daemon started in this process reads from the environment, set once for the whole run rather than by each
/// test around its own calls (which would race with the fixtures running next to it).
/// </summary>
[SetUpFixture]
public sealed class ClusterTestRun
{
    [OneTimeSetUp]
    public void UseTheLocalAgentBaseImage() => Environment.SetEnvironmentVariable("DEVSPACES_AGENT_BASE_IMAGE", SampleSpace.TestBaseImage);
}
