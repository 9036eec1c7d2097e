using DevSpaces.Contracts;
using DevSpaces.Core.Images;

namespace DevSpaces.Cli.Commands;

/// <summary><c>devspaces image build</c>: build output goes to stderr, the result to stdout.</summary>
/// <param name="imagesReportingTo">The image handler, reporting to the given progress (built by the composition root).</param>
/// <param name="currentDirectory">What a relative build context is relative to.</param>
public sealed class ImageCommand(CliOutput output, Func<IProgress<ImageProgressInfo>, IImageRpc> imagesReportingTo, string currentDirectory)
{
    public async Task<int> RunAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var context = Path.GetFullPath(cli.Positional[2], currentDirectory);
        var repository = cli.Get("--repository") ?? throw new UsageException("image build needs --repository, e.g. --repository myteam/api");
        var dockerfile = cli.Get("--dockerfile");
        var buildArgs = cli.GetAll("--build-arg");
        var registry = cli.Get("--registry");
        var force = cli.Has("--force");
        var deliver = !cli.Has("--no-deliver");
        cli.RejectUnknownOptions();

        var progress = new CallbackProgress<ImageProgressInfo>(p =>
        {
            if (output.Json)
            {
                output.Error.WriteLine(CliOutput.JsonLine(p));
            }
            else if (p.Kind != "transfer" || p.Current is null)
            {
                output.Error.WriteLine(p.Message);
            }
        });
        var result = await imagesReportingTo(progress).BuildImageAsync(
            context, repository, dockerfile, buildArgs, deliver, registry, force, null, cancellationToken);
        output.Out.WriteLine(output.Json ? CliOutput.JsonLine(result) : result.DeliveredReference ?? result.Reference);
        return 0;
    }
}
