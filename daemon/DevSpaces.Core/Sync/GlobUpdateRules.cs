using DevSpaces.Core.Project;

namespace DevSpaces.Core.Sync;

/// <summary>
/// The <c>updates</c> of <c>devspaces.yaml</c> in order: the first rule whose globs match a path decides; a path no
/// rule matches gets <paramref name="fallback"/> (restart, as the file's schema says).
/// </summary>
public sealed class GlobUpdateRules(IEnumerable<UpdateRule> rules, UpdateAction fallback = UpdateAction.Restart) : IUpdateRules
{
    private readonly List<UpdateRule> rules = rules.ToList();

    public UpdateAction ActionFor(string path) => rules.FirstOrDefault(rule => rule.Files.Matches(path))?.Action ?? fallback;
}
