using DevSpaces.Cli.Commands;
using DevSpaces.Contracts;

namespace DevSpaces.Tests.Cli;

public class HumanOutputTests
{
    [Test]
    public void The_Space_Tree_Is_Drawn_With_The_Selection_And_Phase()
    {
        var tree = new SpaceTree("ctx", "alice", [
            new SpaceInfo("team", null, "Active", false, [
                new SpaceInfo("alice", "team", "Active", true, [new SpaceInfo("alice-fix", "alice", "Terminating", false, [])]),
                new SpaceInfo("bob", "team", "Active", false, []),
            ]),
        ]);
        var output = new StringWriter();
        HumanOutput.Spaces(output, tree);
        Assert.That(output.ToString().ReplaceLineEndings("\n"), Is.EqualTo("""
            team
            ├── alice *
            │   └── alice-fix (Terminating)
            └── bob

            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public void Services_Show_Ports_With_Target_When_It_Differs()
    {
        var output = new StringWriter();
        HumanOutput.Services(output, new ServiceList("dev", [
            new ServiceInfo("web", "ClusterIP", "10.0.0.7", [new ServicePortInfo("http", 80, "8080", "TCP", null, 8080), new ServicePortInfo(null, 53, "53", "UDP", null, 53)]),
        ]));
        var lines = output.ToString().TrimEnd().Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.StartWith("NAME").And.Contain("PORTS"));
            Assert.That(lines[1], Does.Contain("http:80/TCP->8080,53/UDP").And.Contain("10.0.0.7"));
        });
    }

    [Test]
    public void One_Line_Errors_Carry_The_Hint_And_The_Servers_Words_For_Auth_Failures()
    {
        var line = CliApp.OneLine(new ErrorInfo(RpcErrorCode.Forbidden, "Not allowed to create namespaces 'x'.", "Ask an admin.", "namespaces is forbidden:\nUser \"bob\""));
        Assert.That(line, Is.EqualTo("devspaces: Not allowed to create namespaces 'x'. Fix: Ask an admin. [namespaces is forbidden: User \"bob\"]"));
    }
}
