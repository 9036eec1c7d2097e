using System.Text.Json;
using System.Text.Json.Serialization;

namespace DevSpaces.Contracts;

/// <summary>The JSON shape of the contract: camelCase names, enums as camelCase strings, nulls written.</summary>
public static class RpcJson
{
    /// <summary>Applies the contract's conventions to <paramref name="options"/> (used by the daemon and by <c>--output json</c>).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return options;
    }

    /// <summary>New options with the contract's conventions.</summary>
    public static JsonSerializerOptions CreateOptions() => Configure(new JsonSerializerOptions());
}
