using System.Text.Json;
using DevSpaces.Contracts;
using DevSpaces.Core.Images;

namespace DevSpaces.Cli.Commands;

/// <summary><c>devspaces image build</c>: build output goes to stderr, the result to stdout.</summary>
public static class ImageCommand
{
    private static readonly JsonSerializerOptions Json = RpcJson.CreateOptions();

    public static async Task<int> RunAsync(CliArguments cli, Composition app, string context, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var repository = cli.Get("--repository") ?? throw new UsageException("image build needs --repository, e.g. --repository myteam/api");
        var dockerfile = cli.Get("--dockerfile");
        var buildArgs = cli.GetAll("--build-arg");
        var registry = cli.Get("--registry");
        var force = cli.Has("--force");
        var deliver = !cli.Has("--no-deliver");
        cli.RejectUnknownOptions();

        var progress = new CallbackProgress<ImageProgressInfo>(p =>
        {
            if (json)
            {
                stderr.WriteLine(JsonSerializer.Serialize(p, Json));
            }
            else if (p.Kind != "transfer" || p.Current is null)
            {
                stderr.WriteLine(p.Message);
            }
        });
        var result = await new ImageHandler(app.Session, progress).BuildImageAsync(
            context, repository, dockerfile, buildArgs, deliver, registry, force, null, cancellationToken);
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(result, Json));
        }
        else
        {
            stdout.WriteLine(result.DeliveredReference ?? result.Reference);
        }

        return 0;
    }
}
