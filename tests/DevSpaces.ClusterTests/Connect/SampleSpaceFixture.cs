using DevSpaces.Contracts;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Logging;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>
/// A fixture around one <see cref="SampleSpace"/>: deployed once into a namespace named after the prefix, removed
/// afterwards also when set-up failed, and (unless a fixture opts out) back to its original state after every test.
/// </summary>
public abstract class SampleSpaceFixture
{
    private readonly string prefix;
    private readonly bool waitUntilCleanAfterEachTest;

    /// <param name="prefix">Start of the namespace name; a random suffix keeps it unique.</param>
    /// <param name="waitUntilCleanAfterEachTest">
    /// Wait after every test until deployment <c>api</c> is restored and nothing of a session is left; fixtures whose
    /// tests do that themselves pass <see langword="false"/>.
    /// </param>
    protected SampleSpaceFixture(string prefix, bool waitUntilCleanAfterEachTest = true)
    {
        this.prefix = prefix;
        this.waitUntilCleanAfterEachTest = waitUntilCleanAfterEachTest;
    }

    protected SampleSpace Space { get; private set; } = null!;

    protected static ILog Log => new TextWriterLog(LogLevel.Debug, TestContext.Progress);

    [OneTimeSetUp]
    public async Task DeployTheSample()
    {
        Space = await SampleSpace.DeployAsync(prefix);
        await AfterDeployAsync();
    }

    [OneTimeTearDown]
    public async Task RemoveTheSample()
    {
        if (Space != null)
        {
            await Space.DisposeAsync();
        }
    }

    [TearDown]
    public async Task TheServiceIsBackAndNothingIsLeft()
    {
        if (Space != null && waitUntilCleanAfterEachTest)
        {
            await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(90));
            await AfterCleanAsync();
        }
    }

    /// <summary>Connects to the sample space, recording the session's events; connecting may take three minutes.</summary>
    protected async Task<(ConnectSession Session, EventRecorder Events)> ConnectAsync(ConnectRequest request, LocalFiles? local = null)
    {
        var events = new EventRecorder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var session = await Space.CreateService(Log, local: local).ConnectAsync(request, events.Add, timeout.Token);
        return (session, events);
    }

    /// <summary>What the fixture adds to the deployed sample before its tests run.</summary>
    protected virtual Task AfterDeployAsync() => Task.CompletedTask;

    /// <summary>What the fixture checks after every test, once the sample's <c>api</c> is back.</summary>
    protected virtual Task AfterCleanAsync() => Task.CompletedTask;
}
