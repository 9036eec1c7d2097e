namespace DevSpaces.Helper.Protocol;

/// <summary>One frame: its kind, the request it belongs to, and its payload.</summary>
public readonly record struct HelperFrame(HelperFrameKind Kind, uint RequestId, ReadOnlyMemory<byte> Payload)
{
    public WireReader Reader() => new(Payload);
}
