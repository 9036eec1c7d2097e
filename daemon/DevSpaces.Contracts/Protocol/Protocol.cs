namespace DevSpaces.Contracts;

/// <summary>Facts about the RPC contract described in <c>schemas/rpc.json</c>.</summary>
public static class Protocol
{
    /// <summary>The contract's <c>protocolVersion</c>; raised on incompatible changes.</summary>
    public const int Version = 1;
}
