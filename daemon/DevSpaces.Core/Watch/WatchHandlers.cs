namespace DevSpaces.Core.Watch;

/// <summary>What a <see cref="ListWatch{T}"/> does with what it sees.</summary>
/// <param name="Listed">The whole state: after the first list and after every list again (410 Gone, a failure); the difference to what was known is for the receiver to tell.</param>
/// <param name="Changed">One change (added, modified, deleted) seen by the watch; bookmarks are not passed on.</param>
/// <param name="Failed">A list or watch failed and is retried after the given delay; throwing from it ends the watch with that exception instead.</param>
public sealed record WatchHandlers<T>(
    Func<IReadOnlyList<T>, CancellationToken, Task> Listed,
    Func<WatchEventKind, T, CancellationToken, Task> Changed,
    Func<Exception, TimeSpan, CancellationToken, Task> Failed);
