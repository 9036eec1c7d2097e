using System.Net;
using System.Net.Sockets;

namespace DevSpaces.Tests.Support;

/// <summary>Ports on 127.0.0.1: a free one to use, and whether one is free or listened on.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now (the kernel's choice).</summary>
    public static int Free()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>True when nothing listens on <paramref name="port"/> (a new listener can take it).</summary>
    public static bool IsFree(int port)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>True when something accepts connections on <paramref name="port"/>.</summary>
    public static bool Listens(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
