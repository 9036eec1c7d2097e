namespace DevSpaces.Core.Watch;

/// <summary>The resourceVersion a watch started from is older than the server keeps (410 Gone): list again.</summary>
public sealed class WatchExpiredException(string resourceVersion, Exception? inner = null)
    : Exception($"resourceVersion {resourceVersion} is too old to watch from", inner)
{
    public string ResourceVersion => resourceVersion;
}
