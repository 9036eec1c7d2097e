namespace DevSpaces.Core.Logging;

public enum LogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}
