namespace DevSpaces.Core.PortForwarding;

/// <summary>Why a port forward could not start or serve; the numbers are the RPC error codes.</summary>
public enum PortForwardErrorCode
{
    InvalidArgument = 4001,
    LocalPortInUse = 4002,
    TargetNotFound = 4003,
    NoReadyPod = 4004,
    UnknownRemotePort = 4005,
    ForwardNotFound = 4006,
}
