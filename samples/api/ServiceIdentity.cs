namespace DevSpacesSample.Api;

/// <summary>What this instance reports about itself in every response.</summary>
public sealed record ServiceIdentity(string Service, string Version, string Runtime, string Hostname, string Space);
