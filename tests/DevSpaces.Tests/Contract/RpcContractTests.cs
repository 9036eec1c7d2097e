using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevSpaces.Contracts;
using StreamJsonRpc;

namespace DevSpaces.Tests.Contract;

/// <summary>The <c>[JsonRpcContract]</c> interfaces and DTOs must match <c>schemas/rpc.json</c> exactly.</summary>
public class RpcContractTests
{
    private static readonly Assembly Contracts = typeof(ILifecycleRpc).Assembly;
    private RpcSchema schema = null!;

    [SetUp]
    public void LoadSchema() => schema = RpcSchema.Load();

    private static IEnumerable<(string Name, MethodInfo Method)> ContractMethods() =>
        Contracts.GetTypes()
            .Where(t => t.IsInterface && t.GetCustomAttribute<JsonRpcContractAttribute>() != null)
            .SelectMany(t => t.GetMethods())
            .Select(m => (m.GetCustomAttribute<JsonRpcMethodAttribute>()?.Name
                ?? throw new AssertionException($"{m.DeclaringType!.Name}.{m.Name} has no [JsonRpcMethod(\"name\")]"), m));

    private static ParameterInfo[] WireParameters(MethodInfo method) =>
        method.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).ToArray();

    [Test]
    public void Contract_Methods_And_Schema_Methods_Are_The_Same_Set()
    {
        var inCode = ContractMethods().Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var inSchema = schema.Methods.Select(m => m.Key).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(inCode.Except(inSchema), Is.Empty, "methods in [JsonRpcContract] interfaces but not in schemas/rpc.json");
            Assert.That(inSchema.Except(inCode), Is.Empty, "methods in schemas/rpc.json but not in any [JsonRpcContract] interface");
            Assert.That(inCode, Is.Unique, "a method name is declared twice");
        });
    }

    [Test]
    public void Every_Contract_Method_Is_Async_With_A_CancellationToken_Last()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, method) in ContractMethods())
            {
                var parameters = method.GetParameters();
                Assert.That(parameters.LastOrDefault()?.ParameterType, Is.EqualTo(typeof(CancellationToken)), $"{name}: CancellationToken must be last");
                Assert.That(typeof(Task).IsAssignableFrom(method.ReturnType), Is.True, $"{name}: must return a Task");
            }
        });
    }

    [Test]
    public void Method_Parameters_Match_The_Schema_By_Name_Shape_And_Requiredness()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, method) in ContractMethods())
            {
                if (schema.Methods[name] is not JsonObject entry)
                {
                    continue; // reported by the set test
                }

                var declared = entry["params"]!["properties"]!.AsObject();
                var parameters = WireParameters(method);
                Assert.That(parameters.Select(p => p.Name), Is.EqualTo(declared.Select(p => p.Key)), $"{name}: parameter names and order");
                foreach (var p in parameters)
                {
                    if (declared[p.Name!] is { } property)
                    {
                        Assert.That(ClrShape.Of(p), Is.EqualTo(RpcSchema.ShapeOf(property)), $"{name}: shape of '{p.Name}'");
                    }
                }

                var required = entry["params"]!["required"]!.AsArray().Select(r => r!.GetValue<string>());
                Assert.That(parameters.Where(p => !p.HasDefaultValue).Select(p => p.Name), Is.EquivalentTo(required), $"{name}: required parameters (those without a default value)");
                Assert.That(entry["params"]!["additionalProperties"]?.GetValue<bool>(), Is.False, $"{name}: params must set additionalProperties false");
            }
        });
    }

    [Test]
    public void Method_Results_Match_The_Schema()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, method) in ContractMethods())
            {
                if (schema.Methods[name] is JsonObject entry)
                {
                    Assert.That(ClrShape.OfReturn(method), Is.EqualTo(RpcSchema.ShapeOf(entry["result"]!)), $"{name}: result");
                }
            }
        });
    }

    [Test]
    public void Notifications_Match_The_Schema()
    {
        var inCode = typeof(RpcNotifications).GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(f => (string)f.GetRawConstantValue()!, f => f.GetCustomAttribute<RpcNotificationAttribute>()?.ParamsType);
        var inSchema = schema.Notifications.ToDictionary(n => n.Key, n => RpcSchema.ShapeOf(n.Value!["params"]!));
        Assert.That(inCode.Keys, Is.EquivalentTo(inSchema.Keys), "notification names in RpcNotifications vs schemas/rpc.json");
        Assert.Multiple(() =>
        {
            foreach (var (name, type) in inCode)
            {
                Assert.That(type, Is.Not.Null, $"{name}: needs [RpcNotification(typeof(Params))]");
                Assert.That($"#/$defs/{type?.Name}", Is.EqualTo(inSchema[name]), $"{name}: params type");
            }
        });
    }

    [Test]
    public void Error_Codes_Match_The_Schema_And_Stay_Outside_The_Reserved_Range()
    {
        var inCode = typeof(RpcErrorCode).GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);
        var inSchema = schema.ErrorCodes.ToDictionary(e => e.Key, e => e.Value!["code"]!.GetValue<int>());
        Assert.Multiple(() =>
        {
            Assert.That(inCode, Is.EquivalentTo(inSchema), "RpcErrorCode vs errors.codes in schemas/rpc.json");
            Assert.That(inCode.Values, Is.Unique, "error codes must be distinct");
            Assert.That(inCode.Values, Has.All.InRange(1000, 1999), "our range is 1000-1999");
        });
    }

    [Test]
    public void Every_Definition_Matches_Its_Contract_Type()
    {
        var naming = JsonNamingPolicy.CamelCase;
        Assert.Multiple(() =>
        {
            foreach (var (name, node) in schema.Definitions)
            {
                var type = Contracts.GetType($"DevSpaces.Contracts.{name}");
                Assert.That(type, Is.Not.Null, $"$defs/{name} has no type DevSpaces.Contracts.{name}");
                if (type == null)
                {
                    continue;
                }

                if (type.IsEnum)
                {
                    var values = node!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
                    Assert.That(Enum.GetNames(type).Select(naming.ConvertName), Is.EqualTo(values), $"{name}: enum values");
                    continue;
                }

                var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract").ToArray();
                var declared = node!["properties"]!.AsObject();
                Assert.That(properties.Select(p => naming.ConvertName(p.Name)), Is.EquivalentTo(declared.Select(p => p.Key)), $"{name}: property names");
                foreach (var p in properties)
                {
                    if (declared[naming.ConvertName(p.Name)] is { } property)
                    {
                        Assert.That(ClrShape.Of(p), Is.EqualTo(RpcSchema.ShapeOf(property)), $"{name}.{p.Name}: shape");
                    }
                }

                Assert.That(node["required"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EquivalentTo(declared.Select(p => p.Key)), $"{name}: every property is required (nullable ones are sent as null)");
            }
        });
    }

    [Test]
    public void Every_Contract_Type_Has_A_Definition()
    {
        var dtos = Contracts.GetExportedTypes()
            .Where(t => !t.IsInterface && !t.IsAbstract && (t.IsEnum || t.GetMethod("<Clone>$") != null))
            .Select(t => t.Name);
        Assert.That(dtos.Except(schema.Definitions.Select(d => d.Key)), Is.Empty, "records and enums in DevSpaces.Contracts missing from $defs");
    }

    [Test]
    public void Every_Reference_Resolves()
    {
        var references = new List<string>();
        Collect(schema.Root, references);
        Assert.That(references.Where(r => !r.StartsWith("#/$defs/", StringComparison.Ordinal) || schema.Definitions[r["#/$defs/".Length..]] == null), Is.Empty);
    }

    [Test]
    public void Dtos_Serialize_With_The_Schema_Property_Names()
    {
        var status = new ConnectionStatus(ConnectionState.Failed, "ctx", "https://h:6443", null, new ErrorInfo(RpcErrorCode.ClusterUnreachable, "m", "h", null));
        var json = JsonNode.Parse(JsonSerializer.Serialize(status, RpcJson.CreateOptions()))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(json.Select(p => p.Key), Is.EquivalentTo(schema.Definitions["ConnectionStatus"]!["properties"]!.AsObject().Select(p => p.Key)));
            Assert.That(json["state"]!.GetValue<string>(), Is.EqualTo("failed"));
            Assert.That(json["serverVersion"], Is.Null, "nulls are written as null");
            Assert.That(json.ContainsKey("serverVersion"), Is.True, "nulls are written, not omitted");
        });
    }

    private static void Collect(JsonNode? node, List<string> references)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref")
                    {
                        references.Add(value!.GetValue<string>());
                    }
                    else
                    {
                        Collect(value, references);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, references);
                }

                break;
        }
    }
}
