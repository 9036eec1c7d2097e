namespace DevSpaces.Cli.Commands;

/// <summary>Parsed command line: positional words and <c>--name value</c> / <c>--name=value</c> / <c>--flag</c> options.</summary>
public sealed class CliArguments
{
    private static readonly HashSet<string> Flags = ["--recursive", "--stdio", "--version", "--help", "--clear", "-h", "--force", "--no-deliver", "--no-mounts", "--hosts", "--keep-original", "--forward-probes", "--isolated", "--detach", "--follow", "-f", "--delete", "--debug", "--stop-on-entry", "--print-launch-config", "--processes", "--resume", "--resume-after-attach"];
    private static readonly HashSet<string> Repeatable = ["--build-arg", "--service", "--image", "--env"];
    private readonly Dictionary<string, List<string>> repeated = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, string> Aliases = new() { ["-o"] = "--output", ["-r"] = "--recursive", ["-p"] = "--parent" };
    private readonly Dictionary<string, string?> options = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    private CliArguments(List<string> positional) => Positional = positional;

    public List<string> Positional { get; }

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var result = new CliArguments([]);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                result.Positional.AddRange(args.Skip(i + 1));
                break;
            }

            if (!arg.StartsWith('-') || arg == "-")
            {
                result.Positional.Add(arg);
                continue;
            }

            var name = arg;
            string? value = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                (name, value) = (arg[..eq], arg[(eq + 1)..]);
            }

            name = Aliases.GetValueOrDefault(name, name);
            if (value == null && !Flags.Contains(name))
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"option {name} needs a value");
                }

                value = args[++i];
            }

            result.options[name] = value;
            if (Repeatable.Contains(name))
            {
                if (!result.repeated.TryGetValue(name, out var values))
                {
                    result.repeated[name] = values = [];
                }

                values.Add(value!);
            }
        }

        return result;
    }

    public bool Has(string name)
    {
        used.Add(name);
        return options.ContainsKey(name);
    }

    public string? Get(string name)
    {
        used.Add(name);
        return options.GetValueOrDefault(name);
    }

    /// <summary>Every value of an option that may be given several times (e.g. <c>--build-arg</c>).</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        used.Add(name);
        return repeated.TryGetValue(name, out var values) ? values : [];
    }

    public int? GetInt(string name)
    {
        var value = Get(name);
        if (value == null)
        {
            return null;
        }

        return int.TryParse(value, out var number) ? number : throw new UsageException($"option {name} needs a number, not '{value}'");
    }

    /// <summary>Fails on options no command asked for, so typos do not pass silently.</summary>
    public void RejectUnknownOptions()
    {
        var unknown = options.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option {string.Join(", ", unknown)}");
        }
    }
}
