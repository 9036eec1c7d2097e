using System.IO.Pipelines;
using System.Reflection;
using DevSpaces.Cli.Daemon;
using DevSpaces.Contracts;
using DevSpaces.Tests.Contract;
using DevSpaces.Tests.Support;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace DevSpaces.Tests.Daemon;

/// <summary>
/// The guard around every RPC method: each method of the contract, served by a handler that fails with an exception
/// of no kind of ours, answers with one error naming the method, the cause in one line and the log file; the stack
/// trace reaches the log only.
/// </summary>
public class UnexpectedFailureRpcTests
{
    private const string LogFile = "/var/log/devspaces/daemon-test.log";

    private static IEnumerable<Type> Contracts() =>
        typeof(ILifecycleRpc).Assembly.GetTypes().Where(t => t.IsInterface && t.GetCustomAttribute<JsonRpcContractAttribute>() != null);

    [Test]
    public async Task Every_Method_Turns_An_Unexpected_Failure_Into_One_Error_Naming_Method_Cause_And_Log_File()
    {
        var (daemonSide, clientSide) = FullDuplexStream.CreatePair();
        var formatter = new SystemTextJsonFormatter();
        RpcJson.Configure(formatter.JsonSerializerOptions);
        var log = new CollectingLog();
        using var rpc = new DaemonRpc(new DaemonMessageHandler(PipeWriter.Create(daemonSide), PipeReader.Create(daemonSide), formatter, log), () => false, log, LogFile);
        foreach (var contract in Contracts())
        {
            rpc.AddLocalRpcTarget(contract, FailingHandler.For(contract), null);
        }

        rpc.StartListening();
        await using var client = DaemonConnection.Attach(clientSide, clientSide, rpc.Completion.ContinueWith(_ => 0, TaskScheduler.Default), log, clientSide);
        var methods = RpcSchema.Load().Methods;
        Assert.That(methods.Count, Is.GreaterThanOrEqualTo(18), "every method of the schema is tried");
        foreach (var (method, entry) in methods)
        {
            var error = await client.ExpectErrorAsync(method, RpcSchema.RequiredArguments(entry!));
            var lines = log.Lines.Snapshot();
            Assert.Multiple(() =>
            {
                Assert.That(error.Code, Is.EqualTo(RpcErrorCode.Unexpected), method);
                Assert.That(error.Message, Is.EqualTo($"'{method}' failed unexpectedly: InvalidOperationException: injected into {method}"));
                Assert.That(error.Hint, Does.Contain(LogFile), $"{method}: the hint names the log file");
                Assert.That(error.Detail, Is.Null, $"{method}: no stack trace in the data");
                Assert.That(lines, Has.Some.StartsWith("Error: ").And.Contains($"'{method}' failed unexpectedly"), $"{method}: one line at error level");
                Assert.That(lines, Has.Some.StartsWith("Debug: ").And.Contains($"'{method}' failed unexpectedly").And.Contains("   at "), $"{method}: the stack trace in the file log");
                Assert.That(lines.Where(l => !l.StartsWith("Debug: ", StringComparison.Ordinal)), Has.None.Contains("   at "), $"{method}: the stack trace only at debug level");
            });
        }
    }

    /// <summary>A contract implementation whose every method fails as a bug would: with an exception that is not ours.</summary>
    public class FailingHandler : DispatchProxy
    {
        public static object For(Type contract) => Create(contract, typeof(FailingHandler));

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var method = targetMethod!;
            var error = Throw(method.GetCustomAttribute<JsonRpcMethodAttribute>()!.Name!);
            var returns = method.ReturnType;
            return returns == typeof(Task)
                ? Task.FromException(error)
                : typeof(Task).GetMethods().Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethod)
                    .MakeGenericMethod(returns.GetGenericArguments()[0]).Invoke(null, [error])!;
        }

        // Thrown and caught so it carries a stack trace, as a real failure would.
        private static Exception Throw(string method)
        {
            try
            {
                throw new InvalidOperationException($"injected into {method}");
            }
            catch (InvalidOperationException e)
            {
                return e;
            }
        }
    }
}
