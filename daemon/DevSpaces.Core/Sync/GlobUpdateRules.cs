using DevSpaces.Core.Images;

namespace DevSpaces.Core.Sync;

/// <summary>Update rules in order: the first rule whose globs match a path decides; a path no rule matches gets <paramref name="fallback"/>.</summary>
public sealed class GlobUpdateRules(IEnumerable<UpdateRule> rules, UpdateAction fallback = UpdateAction.Restart) : IUpdateRules
{
    private readonly List<(DockerIgnore Globs, UpdateAction Action)> rules = rules.Select(r => (new DockerIgnore(r.Files), r.Action)).ToList();

    public UpdateAction ActionFor(string path)
    {
        foreach (var (globs, action) in rules)
        {
            // In the .dockerignore language a "match" is an exclusion; here it selects the rule.
            if (globs.IsExcluded(path))
            {
                return action;
            }
        }

        return fallback;
    }
}
