namespace DevSpaces.Core.Images;

/// <summary>
/// The rules of a <c>.dockerignore</c> file, applied as the Docker CLI does: a path is excluded when the last
/// pattern matching it or one of its parent directories is not an exception.
/// </summary>
public sealed class DockerIgnore
{
    private readonly IReadOnlyList<DockerIgnorePattern> _patterns;

    public DockerIgnore(IEnumerable<string> lines)
    {
        _patterns = lines.Select(DockerIgnorePattern.Parse).OfType<DockerIgnorePattern>().ToList();
        HasExceptions = _patterns.Any(p => p.IsException);
    }

    public static DockerIgnore Empty { get; } = new([]);

    /// <summary>Reads <c>.dockerignore</c> from a context folder; an absent file excludes nothing.</summary>
    public static DockerIgnore Load(string contextDirectory)
    {
        var path = Path.Combine(contextDirectory, ".dockerignore");
        return File.Exists(path) ? new DockerIgnore(File.ReadAllLines(path)) : Empty;
    }

    /// <summary>True when some pattern re-includes paths; then excluded folders must still be searched.</summary>
    public bool HasExceptions { get; }

    /// <summary>Whether a context-relative path (forward slashes) stays out of the build context.</summary>
    public bool IsExcluded(string relativePath)
    {
        relativePath = relativePath.Replace('\\', '/').Trim('/');
        var parents = ParentsOf(relativePath);
        var excluded = false;
        foreach (var pattern in _patterns)
        {
            // A pattern can only change the outcome when it points the other way.
            if (pattern.IsException != excluded)
            {
                continue;
            }

            var match = pattern.Matches(relativePath) || parents.Any(pattern.Matches);
            if (match)
            {
                excluded = !pattern.IsException;
            }
        }

        return excluded;
    }

    private static List<string> ParentsOf(string path)
    {
        var parents = new List<string>();
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            parents.Add(path[..slash]);
        }

        return parents;
    }
}
