using System.Text.Json;

namespace DevSpaces.Tests.Support;

/// <summary>A notification the test client received.</summary>
public sealed record RpcNotification(string Method, JsonElement Params)
{
    public string? Text(string property) =>
        Params.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public override string ToString() => $"{Method} {Params.GetRawText()}";
}
