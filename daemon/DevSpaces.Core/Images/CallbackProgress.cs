namespace DevSpaces.Core.Images;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls back synchronously, in order (<see cref="Progress{T}"/> posts to the
/// thread pool and can reorder lines).
/// </summary>
public sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
