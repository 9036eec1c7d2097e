namespace DevSpaces.Core.Routing;

/// <summary>
/// One port of a routed Service: the router listens on <paramref name="Listen"/> for it; the root's own version is
/// reached through the <paramref name="Baseline"/> Service (the original selector and target port).
/// </summary>
/// <param name="Service">The Service's name (the same in every space).</param>
/// <param name="PortName">The Service port's name, if it has one: a child's version is matched by name first.</param>
/// <param name="Port">The Service port's number.</param>
/// <param name="Listen">The router's port for it.</param>
/// <param name="Http">True: HTTP, routed per request; false: any other TCP, passed through to the baseline untouched.</param>
/// <param name="Baseline">The Service in the root that reaches the root's own pods.</param>
/// <param name="H2c">True: HTTP/2 without TLS (gRPC; appProtocol h2c), taken and passed on as HTTP/2 with prior knowledge.</param>
public sealed record RoutedPort(string Service, string? PortName, int Port, int Listen, bool Http, string Baseline, bool H2c = false);
