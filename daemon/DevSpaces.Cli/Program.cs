using System.Reflection;

namespace DevSpaces.Cli;

/// <summary>Entry point of the <c>devspaces</c> executable: the CLI and, later, the daemon.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["--version"] or ["version"])
        {
            Console.Out.WriteLine(ProductVersion);
            return 0;
        }

        Console.Error.WriteLine("usage: devspaces --version");
        return 2;
    }

    public static string ProductVersion =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
