namespace DevSpaces.Core.Previews;

/// <summary>A service deployed into a preview: the image it runs and its ready pod.</summary>
public sealed record PreviewServiceInfo(string Service, string Image, string Pod);
