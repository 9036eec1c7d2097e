using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DevSpaces.Core.PortForwarding;

namespace DevSpaces.Tests.PortForwarding;

public class PortOwnerLookupTests
{
    [Test]
    public void Listening_Sockets_Are_Found_By_Port_In_A_Proc_Table()
    {
        string[] table =
        [
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0",
            "   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1",
            "   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 100 0 0 10 0",
        ];
        Assert.That(PortOwnerLookup.ListeningInodes(table, 8080), Is.EqualTo(new[] { "4242" }));
    }

    [Test]
    public void The_Owner_Of_A_Listening_Port_Is_This_Process()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var owner = new PortOwnerLookup().FindListener(port);
        Assert.That(owner, Does.StartWith($"process {Environment.ProcessId} ("));
    }
}
