namespace DevSpaces.Core.Project;

/// <summary>How a Java project is compiled.</summary>
public enum JavaBuildTool
{
    /// <summary><c>javac</c> on the sources, then <c>jar</c> with the main class.</summary>
    Plain,

    /// <summary><c>pom.xml</c>.</summary>
    Maven,

    /// <summary><c>build.gradle</c> or <c>build.gradle.kts</c>.</summary>
    Gradle,
}
