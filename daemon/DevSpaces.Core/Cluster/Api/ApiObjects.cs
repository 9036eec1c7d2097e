using System.Text.Json.Serialization;

namespace DevSpaces.Core.Cluster.Api;

// The few fields of the core objects the idle daemon reads, named as the API names them. These are ours rather than
// KubernetesClient's models so that reading them never loads that 12 MB assembly: the verbs that change objects use
// KubernetesClient's models and client, built at their first use.

/// <summary>The metadata of an object: only what the idle daemon's reads look at.</summary>
public sealed class ApiObjectMeta
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; init; }
}

/// <summary>An object as a watch or read sees it: its metadata first.</summary>
public interface IApiObject
{
    ApiObjectMeta Metadata { get; }
}

/// <summary>A namespace.</summary>
public sealed class ApiNamespace : IApiObject
{
    [JsonPropertyName("metadata")]
    public ApiObjectMeta Metadata { get; init; } = new();

    [JsonPropertyName("status")]
    public ApiNamespaceStatus? Status { get; init; }
}

public sealed class ApiNamespaceStatus
{
    /// <summary><c>Active</c> or <c>Terminating</c>.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; init; }
}

/// <summary>A Service: its name and ports.</summary>
public sealed class ApiService : IApiObject
{
    [JsonPropertyName("metadata")]
    public ApiObjectMeta Metadata { get; init; } = new();

    [JsonPropertyName("spec")]
    public ApiServiceSpec? Spec { get; init; }
}

public sealed class ApiServiceSpec
{
    [JsonPropertyName("ports")]
    public IReadOnlyList<ApiServicePort>? Ports { get; init; }
}

public sealed class ApiServicePort
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("port")]
    public int Port { get; init; }

    [JsonPropertyName("nodePort")]
    public int? NodePort { get; init; }
}

/// <summary>A ConfigMap's string data.</summary>
public sealed class ApiConfigMap : IApiObject
{
    [JsonPropertyName("metadata")]
    public ApiObjectMeta Metadata { get; init; } = new();

    [JsonPropertyName("data")]
    public IReadOnlyDictionary<string, string>? Data { get; init; }
}

/// <summary>A list: its items and the resourceVersion it was read at (to watch from).</summary>
public sealed class ApiList<T>
{
    [JsonPropertyName("metadata")]
    public ApiListMeta Metadata { get; init; } = new();

    [JsonPropertyName("items")]
    public IReadOnlyList<T> Items { get; init; } = [];
}

public sealed class ApiListMeta
{
    [JsonPropertyName("resourceVersion")]
    public string ResourceVersion { get; init; } = "";
}

/// <summary>The API server's account of a failure (the body of an error answer, or a watch's ERROR event).</summary>
public sealed class ApiStatus
{
    [JsonPropertyName("code")]
    public int? Code { get; init; }

    /// <summary>A machine-readable reason: <c>Forbidden</c>, <c>NotFound</c>, <c>AlreadyExists</c>, <c>Expired</c>…</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}

/// <summary>The API server's version (<c>/version</c>).</summary>
public sealed class ApiVersion
{
    [JsonPropertyName("gitVersion")]
    public string? GitVersion { get; init; }
}
