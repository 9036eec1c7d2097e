using DevSpaces.Contracts;

namespace DevSpaces.Core.Spaces;

/// <summary>Arranges spaces as a tree: roots are spaces without a parent label or whose parent is gone.</summary>
public static class SpaceTreeBuilder
{
    public static IReadOnlyList<SpaceInfo> Build(IEnumerable<SpaceRecord> spaces, string? selected)
    {
        var byName = spaces.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First());
        var children = byName.Values.Where(s => s.Parent != null && byName.ContainsKey(s.Parent))
            .ToLookup(s => s.Parent!);
        var visited = new HashSet<string>();
        var roots = byName.Values.Where(s => s.Parent == null || !byName.ContainsKey(s.Parent))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => Node(s))
            .ToList();

        // Hand-edited labels can form a cycle that has no root; show its members rather than hide them.
        foreach (var orphan in byName.Values.Where(s => !visited.Contains(s.Name)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList())
        {
            if (!visited.Contains(orphan.Name))
            {
                roots.Add(Node(orphan));
            }
        }

        return roots;

        SpaceInfo Node(SpaceRecord space)
        {
            visited.Add(space.Name);
            var kids = children[space.Name]
                .Where(c => !visited.Contains(c.Name))
                .OrderBy(c => c.Name, StringComparer.Ordinal)
                .Select(Node)
                .ToList();
            return new SpaceInfo(space.Name, space.Parent, space.Phase, space.Name == selected, kids);
        }
    }

    /// <summary>All descendants of <paramref name="name"/>, leaves first (the order to delete them in).</summary>
    public static IReadOnlyList<string> DescendantsLeavesFirst(IEnumerable<SpaceRecord> spaces, string name)
    {
        var children = spaces.Where(s => s.Parent != null).ToLookup(s => s.Parent!, s => s.Name);
        var result = new List<string>();
        var visited = new HashSet<string> { name };
        Visit(name);
        return result;

        void Visit(string parent)
        {
            foreach (var child in children[parent].Order(StringComparer.Ordinal))
            {
                if (visited.Add(child))
                {
                    Visit(child);
                    result.Add(child);
                }
            }
        }
    }
}
