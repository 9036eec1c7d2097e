using DevSpaces.Contracts;

namespace DevSpaces.Cli.Commands;

/// <summary>How results look in a terminal.</summary>
public static class HumanOutput
{
    public static void Contexts(TextWriter output, ContextList list)
    {
        Table(output, ["CURRENT", "NAME", "CLUSTER", "USER", "NAMESPACE", "SERVER"],
            list.Contexts.Select(c => new[] { c.IsCurrent ? "*" : "", c.Name, c.Cluster ?? "", c.User ?? "", c.Namespace ?? "", c.Server ?? "" }));
    }

    public static void Status(TextWriter output, ConnectionStatus status)
    {
        output.WriteLine(status.State == ConnectionState.Connected
            ? $"Context '{status.Context}': connected to {status.Server} (Kubernetes {status.ServerVersion})."
            : $"Context '{status.Context}': {status.State.ToString().ToLowerInvariant()} ({status.Server}).");
    }

    public static void Spaces(TextWriter output, SpaceTree tree)
    {
        if (tree.Note != null)
        {
            output.WriteLine($"Note: {tree.Note}");
        }

        if (tree.Roots.Count == 0)
        {
            output.WriteLine($"No spaces in context '{tree.Context}'. Create one with: devspaces space create <name>");
            return;
        }

        foreach (var root in tree.Roots)
        {
            output.WriteLine(Label(root));
            Children(output, root, "");
        }
    }

    public static void Selection(TextWriter output, Selection selection)
    {
        output.WriteLine($"Context: {selection.Context ?? "(none)"}");
        output.WriteLine($"Space:   {selection.Space ?? "(none selected)"}");
        if (selection.WorkspaceFolder != null)
        {
            output.WriteLine($"Folder:  {selection.WorkspaceFolder}");
        }
    }

    public static void Services(TextWriter output, ServiceList list)
    {
        if (list.Services.Count == 0)
        {
            output.WriteLine($"No services in space '{list.Space}'.");
            return;
        }

        Table(output, ["NAME", "TYPE", "CLUSTER-IP", "PORTS"],
            list.Services.Select(s => new[] { s.Name, s.Type, s.ClusterIP ?? "", string.Join(",", s.Ports.Select(Port)) }));
    }

    private static string Port(ServicePortInfo p)
    {
        var text = $"{p.Port}/{p.Protocol}";
        if (p.TargetPort != null && p.TargetPort != p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            text += $"->{p.TargetPort}";
        }

        return p.Name == null ? text : $"{p.Name}:{text}";
    }

    private static void Children(TextWriter output, SpaceInfo parent, string indent)
    {
        for (var i = 0; i < parent.Children.Count; i++)
        {
            var last = i == parent.Children.Count - 1;
            output.WriteLine($"{indent}{(last ? "└── " : "├── ")}{Label(parent.Children[i])}");
            Children(output, parent.Children[i], indent + (last ? "    " : "│   "));
        }
    }

    private static string Label(SpaceInfo space) =>
        space.Name + (space.IsSelected ? " *" : "") + (space.Phase == "Active" ? "" : $" ({space.Phase})") + (space.Url is null ? "" : $"  {space.Url}");

    public static void Previews(TextWriter output, Core.Previews.PreviewList list)
    {
        foreach (var name in list.Deleted)
        {
            output.WriteLine($"Deleted the preview '{name}'.");
        }

        if (list.Previews.Count == 0)
        {
            output.WriteLine("No previews.");
            return;
        }

        if (list.Deleted.Count > 0)
        {
            return;
        }

        Table(output, ["NAME", "PARENT", "PR", "COMMIT", "AGE", "URL"], list.Previews.Select(p => new[]
        {
            p.Name, p.Parent ?? "", p.PullRequest?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", p.Commit is { } c ? c[..Math.Min(7, c.Length)] : "", p.Age, p.Url ?? "(port-forward)",
        }));
    }

    private static void Table(TextWriter output, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
