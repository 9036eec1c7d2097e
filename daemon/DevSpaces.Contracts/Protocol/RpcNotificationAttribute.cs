namespace DevSpaces.Contracts;

/// <summary>Marks a notification name constant with the type of its params object.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class RpcNotificationAttribute(Type paramsType) : Attribute
{
    /// <summary>The DTO sent as the notification's params object.</summary>
    public Type ParamsType { get; } = paramsType;
}
