using k8s.Models;

namespace DevSpaces.Core.Routing;

/// <summary>What routing a root space means: the router's routes, and each fronted Service with its original spec.</summary>
/// <param name="Config">The router's routes.</param>
/// <param name="Fronted">The Services the router goes in front of, each with the spec it had before routing.</param>
/// <param name="Skipped">Services left as they are, each with why.</param>
public sealed record RoutePlan(RouterConfig Config, IReadOnlyList<(V1Service Service, V1ServiceSpec Original)> Fronted, IReadOnlyList<string> Skipped);
