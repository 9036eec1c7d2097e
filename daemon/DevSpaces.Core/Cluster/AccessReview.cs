using DevSpaces.Core.Errors;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Cluster;

/// <summary>
/// Asks the API server, before an operation starts, whether the user may do what it needs (one
/// SelfSubjectAccessReview per right), so a missing right is named up front instead of surfacing later as a failure
/// in the middle of the work (e.g. every forwarded connection refused with 403).
/// </summary>
public static class AccessReview
{
    /// <summary>Throws Forbidden naming the first of <paramref name="needs"/> the user lacks; when the review itself fails, the operation finds out on its own.</summary>
    public static async Task RequireAsync(ClusterConnection connection, IReadOnlyList<ClusterOperation> needs, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(needs.Select(need => IsAllowedAsync(connection, need, cancellationToken))).ConfigureAwait(false);
        for (var i = 0; i < needs.Count; i++)
        {
            if (answers[i] is { Allowed: false } denied)
            {
                throw KubernetesFailures.Forbidden(needs[i], connection.Target, denied.Reason);
            }
        }
    }

    // The API groups of the resources DevSpaces works with outside the core group.
    private static readonly Dictionary<string, string> Groups = new(StringComparer.Ordinal)
    {
        ["deployments"] = "apps",
        ["statefulsets"] = "apps",
        ["roles"] = "rbac.authorization.k8s.io",
        ["rolebindings"] = "rbac.authorization.k8s.io",
    };

    private static async Task<(bool Allowed, string? Reason)?> IsAllowedAsync(ClusterConnection connection, ClusterOperation need, CancellationToken cancellationToken)
    {
        var slash = need.Resource.IndexOf('/');
        var resource = slash < 0 ? need.Resource : need.Resource[..slash];
        var review = new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = need.Verb,
                    Group = Groups.GetValueOrDefault(resource, ""),
                    Resource = resource,
                    Subresource = slash < 0 ? null : need.Resource[(slash + 1)..],
                    Name = need.Name,
                    NamespaceProperty = need.Namespace,
                },
            },
        };
        try
        {
            var answer = await connection.CallAsync(
                new ClusterOperation("create", "selfsubjectaccessreviews"),
                (client, ct) => client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(review, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            return (answer.Status?.Allowed == true, answer.Status?.Reason is { Length: > 0 } reason ? reason : answer.Status?.EvaluationError);
        }
        catch (DevSpacesException)
        {
            return null;
        }
    }
}
