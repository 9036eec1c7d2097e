using DevSpaces.Core.Project;

namespace DevSpaces.Core.Sync;

/// <summary>What a batch makes happen: the strongest action of its paths, and the first path that asked for it.</summary>
public sealed record UpdateDecision(UpdateAction Action, string? Cause)
{
    public static UpdateDecision For(SyncPlan plan, IUpdateRules rules)
    {
        var strongest = UpdateAction.Copy;
        string? cause = null;
        foreach (var path in plan.ChangedPaths)
        {
            var action = rules.ActionFor(path);
            if (cause == null || action > strongest)
            {
                strongest = action;
                cause = path;
            }
        }

        return new UpdateDecision(strongest, cause);
    }
}
