using DevSpaces.Contracts;

namespace DevSpaces.Core.PortForwarding;

/// <summary>Why a port forward could not start or serve; the values are the RPC error codes.</summary>
public enum PortForwardErrorCode
{
    InvalidArgument = RpcErrorCode.InvalidPortForward,
    LocalPortInUse = RpcErrorCode.LocalPortInUse,
    TargetNotFound = RpcErrorCode.ForwardTargetNotFound,
    NoReadyPod = RpcErrorCode.NoReadyPod,
    UnknownRemotePort = RpcErrorCode.UnknownRemotePort,
    ForwardNotFound = RpcErrorCode.PortForwardNotFound,
}
