using System.Reflection;

namespace DevSpaces.Tests.Contract;

/// <summary>Canonical shape of a C# parameter or property in the terms of <see cref="RpcSchema.ShapeOf"/>.</summary>
public static class ClrShape
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static string Of(ParameterInfo parameter) => Of(Nullability.Create(parameter));

    public static string Of(PropertyInfo property) => Of(Nullability.Create(property));

    public static string OfReturn(MethodInfo method)
    {
        var info = Nullability.Create(method.ReturnParameter);
        if (method.ReturnType == typeof(Task))
        {
            return "null";
        }

        if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return Of(info.GenericTypeArguments[0]);
        }

        throw new InvalidOperationException($"{method.DeclaringType!.Name}.{method.Name} must return Task or Task<T>");
    }

    private static string Of(NullabilityInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type);
        var nullable = type != null || info.ReadState == NullabilityState.Nullable;
        type ??= info.Type;
        string shape;
        if (type == typeof(string))
        {
            shape = "string";
        }
        else if (type == typeof(bool))
        {
            shape = "boolean";
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            shape = "integer";
        }
        else if (type == typeof(double))
        {
            shape = "number";
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            shape = $"array<{Of(info.GenericTypeArguments[0])}>";
        }
        else if (type.Namespace == "DevSpaces.Contracts")
        {
            shape = $"#/$defs/{type.Name}";
        }
        else
        {
            throw new InvalidOperationException($"{type} has no JSON schema shape; use string, bool, int, double, IReadOnlyList<T> or a contract type");
        }

        return nullable ? shape + "|null" : shape;
    }
}
