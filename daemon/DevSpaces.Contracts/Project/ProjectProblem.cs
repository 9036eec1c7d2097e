namespace DevSpaces.Contracts;

/// <summary>One problem of a <c>devspaces.yaml</c>, with its range (1-based lines and columns; the end is exclusive).</summary>
/// <param name="Severity"><c>error</c> (the file cannot be used) or <c>warning</c>.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="Line">Line where the problem starts.</param>
/// <param name="Column">Column where the problem starts.</param>
/// <param name="EndLine">Line where it ends.</param>
/// <param name="EndColumn">Column just after its end.</param>
public sealed record ProjectProblem(string Severity, string Message, int Line, int Column, int EndLine, int EndColumn);
