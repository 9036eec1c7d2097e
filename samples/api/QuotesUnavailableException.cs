namespace DevSpacesSample.Api;

/// <summary>The quotes service could not be reached or gave an unusable answer.</summary>
public sealed class QuotesUnavailableException(string message, Exception? inner) : Exception(message, inner);
