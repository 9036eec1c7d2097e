namespace DevSpaces.Core.Debug;

/// <summary>What debugging .NET in the cluster needs that DevSpaces does not bring yet, said in one place.</summary>
public static class DotNetDebugger
{
    public const string Missing =
        "Attaching to .NET in the cluster needs a Linux debugger inside the container (vsdbg, or netcoredbg from Samsung/netcoredbg releases) " +
        "and `devspaces exec` to start it there as the coreclr configuration's pipeTransport; DevSpaces does not copy a debugger into the pod or provide `devspaces exec` yet. " +
        "Until then, put the debugger into the image (e.g. unpack netcoredbg to /devspaces-debugger in the Dockerfile) and attach with kubectl exec as the pipeTransport.";
}
