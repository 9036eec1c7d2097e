using System.Text.Json.Serialization;

namespace DevSpaces.Core.Cluster.Api;

/// <summary>
/// The objects <see cref="ApiServerClient"/> reads (our own models, <see cref="ApiNamespace"/> and the rest), with serializers generated at build
/// time: KubernetesClient's own serializer builds its converters by reflection over the models it meets, and its models
/// alone page in megabytes of its assembly, code the daemon would keep while idle.
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiNamespace))]
[JsonSerializable(typeof(ApiList<ApiNamespace>))]
[JsonSerializable(typeof(ApiService))]
[JsonSerializable(typeof(ApiList<ApiService>))]
[JsonSerializable(typeof(ApiConfigMap))]
[JsonSerializable(typeof(ApiList<ApiConfigMap>))]
[JsonSerializable(typeof(ApiStatus))]
[JsonSerializable(typeof(ApiVersion))]
[JsonSerializable(typeof(ApiWatchLine))]
public sealed partial class ApiJson : JsonSerializerContext;
