using DevSpaces.Contracts;
using DevSpaces.Core.Spaces;

namespace DevSpaces.Tests.Spaces;

public class SpaceTreeBuilderTests
{
    private static SpaceRecord S(string name, string? parent = null) => new(name, parent, "Active");

    private static string Render(IEnumerable<SpaceInfo> nodes) =>
        string.Join(" ", nodes.Select(n => n.Children.Count == 0 ? n.Name + (n.IsSelected ? "*" : "") : $"{n.Name}{(n.IsSelected ? "*" : "")}({Render(n.Children)})"));

    [Test]
    public void Children_Nest_Under_Their_Parents_Sorted_By_Name()
    {
        var tree = SpaceTreeBuilder.Build([S("team"), S("bob", "team"), S("alice", "team"), S("alice-x", "alice"), S("other")], selected: "alice");
        Assert.That(Render(tree), Is.EqualTo("other team(alice*(alice-x) bob)"));
    }

    [Test]
    public void A_Space_Whose_Parent_Is_Gone_Shows_As_A_Root()
    {
        var tree = SpaceTreeBuilder.Build([S("orphan", "deleted-parent"), S("root")], null);
        Assert.Multiple(() =>
        {
            Assert.That(Render(tree), Is.EqualTo("orphan root"));
            Assert.That(tree[0].Parent, Is.EqualTo("deleted-parent"), "the parent label is still reported");
        });
    }

    [Test]
    public void A_Cycle_Of_Parent_Labels_Is_Still_Shown()
    {
        var tree = SpaceTreeBuilder.Build([S("a", "b"), S("b", "a")], null);
        Assert.That(Render(tree), Is.EqualTo("a(b)"));
    }

    [Test]
    public void Descendants_Come_Leaves_First()
    {
        var spaces = new[] { S("root"), S("k1", "root"), S("k2", "root"), S("g1", "k1"), S("unrelated") };
        Assert.That(SpaceTreeBuilder.DescendantsLeavesFirst(spaces, "root"), Is.EqualTo(new[] { "g1", "k1", "k2" }));
        Assert.That(SpaceTreeBuilder.DescendantsLeavesFirst(spaces, "k2"), Is.Empty);
    }
}
