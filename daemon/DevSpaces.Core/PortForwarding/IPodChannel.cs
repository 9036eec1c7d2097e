namespace DevSpaces.Core.PortForwarding;

/// <summary>One TCP connection to a pod port, however it is carried to the API server.</summary>
public interface IPodChannel : IAsyncDisposable
{
    /// <summary>Bytes a caller leaves free in front of the data it writes, for the carrier's framing.</summary>
    int Headroom { get; }

    /// <summary>Error text the API server or kubelet sent for this connection (e.g. the port refused it).</summary>
    string? Error { get; }

    /// <summary>True when an early read found the pod side closed (or failed).</summary>
    bool HasEnded { get; }

    /// <summary>Reads the next chunk of pod data to the start of <paramref name="buffer"/>; 0 means the pod side closed.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="count"/> bytes placed at <c>frame[Headroom..]</c>; the headroom is the channel's to overwrite.</summary>
    ValueTask WriteAsync(Memory<byte> frame, int count, CancellationToken cancellationToken);

    /// <summary>Tells the pod side that nothing more will be sent, where the carrier can (a half-close).</summary>
    ValueTask CompleteWritesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Starts watching a connection kept in reserve, so that <see cref="HasEnded"/> tells whether the pod side closed
    /// it meanwhile; data the server sends first is kept for the first <see cref="ReadAsync"/>.
    /// </summary>
    void StartEarlyRead();
}
