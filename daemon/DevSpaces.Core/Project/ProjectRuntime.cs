namespace DevSpaces.Core.Project;

/// <summary>The kinds of project <c>devspaces prep</c> knows.</summary>
public enum ProjectRuntime
{
    /// <summary>A <c>*.csproj</c>.</summary>
    DotNet,

    /// <summary>A <c>package.json</c>.</summary>
    Node,

    /// <summary>A <c>pom.xml</c>, <c>build.gradle</c>, or Java sources with a <c>main</c> method.</summary>
    Java,
}
