using DevSpaces.Core.Project;

namespace DevSpaces.Core.Sync;

/// <summary>Maps a changed (or deleted) folder-relative path to what it makes happen.</summary>
public interface IUpdateRules
{
    UpdateAction ActionFor(string path);
}
