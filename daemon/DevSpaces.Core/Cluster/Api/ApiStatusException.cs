using System.Net;

namespace DevSpaces.Core.Cluster.Api;

/// <summary>
/// The API server refused a call of <see cref="ApiServerClient"/> (an HTTP status other than success), or ended a watch
/// with an ERROR event: its status code and, when the body was one, its <see cref="ApiStatus"/>.
/// <see cref="KubernetesFailures"/> turns it into the user's terms.
/// </summary>
public sealed class ApiStatusException(HttpStatusCode statusCode, ApiStatus? status, string? content, string message)
    : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public ApiStatus? Status { get; } = status;

    /// <summary>The answer's body as it came (a <see cref="ApiStatus"/> in JSON, or whatever a proxy in between sent).</summary>
    public string? Content { get; } = content;

    /// <summary>An ERROR event in a watch stream (410 when the version it watched from is too old).</summary>
    public static ApiStatusException FromWatch(ApiStatus? status) =>
        new(status?.Code is { } code ? (HttpStatusCode)code : HttpStatusCode.InternalServerError, status, null,
            status == null ? "The watch stream reported an error without a status." : $"The watch stream reported an error: {status.Code} {status.Reason} {status.Message}".TrimEnd());
}
