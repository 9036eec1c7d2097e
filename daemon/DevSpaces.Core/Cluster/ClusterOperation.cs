namespace DevSpaces.Core.Cluster;

/// <summary>
/// What a call to the API server tries to do, so that its failure can be told in the user's terms.
/// <paramref name="NotFound"/> and <paramref name="AlreadyExists"/> say which error a 404 or a 409
/// AlreadyExists means for this call (null: a generic one).
/// </summary>
public sealed record ClusterOperation(
    string Verb,
    string Resource,
    string? Name = null,
    string? Namespace = null,
    Func<ClusterOperation, Errors.DevSpacesException>? NotFound = null,
    Func<ClusterOperation, Errors.DevSpacesException>? AlreadyExists = null)
{
    /// <summary>"create namespaces 'dev'", "list services in namespace 'dev'".</summary>
    public string Describe()
    {
        var text = Name == null ? $"{Verb} {Resource}" : $"{Verb} {Resource} '{Name}'";
        return Namespace == null ? text : $"{text} in namespace '{Namespace}'";
    }
}
