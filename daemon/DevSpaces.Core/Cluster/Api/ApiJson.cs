using System.Text.Json.Serialization;
using k8s.Models;

namespace DevSpaces.Core.Cluster.Api;

/// <summary>
/// The objects <see cref="ApiServerClient"/> reads, with serializers generated at build time: KubernetesClient's own
/// serializer builds its converters by reflection over the models it meets, code the daemon would keep while idle.
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(V1Namespace))]
[JsonSerializable(typeof(V1NamespaceList))]
[JsonSerializable(typeof(V1Service))]
[JsonSerializable(typeof(V1ServiceList))]
[JsonSerializable(typeof(V1ConfigMap))]
[JsonSerializable(typeof(V1ConfigMapList))]
[JsonSerializable(typeof(V1Status))]
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(ApiWatchLine))]
public sealed partial class ApiJson : JsonSerializerContext;
