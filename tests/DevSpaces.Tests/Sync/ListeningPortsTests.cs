extern alias helper;
using helper::DevSpaces.Helper;

namespace DevSpaces.Tests.Sync;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ListeningPortsTests
{
    private const string Tcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:C383 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31061 1 0000000000000000 100 0 0 10 0
           1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 0 1 0000000000000000 20 4 30 10 -1
        """;

    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2145 1 0000000000000000 100 0 0 10 0
        """;

    [Test]
    public void A_Socket_In_Listen_State_On_The_Port_Counts_On_Any_Address()
    {
        Assert.That(ListeningPorts.IsListed(Tcp, 0xC383), Is.True, "127.0.0.1:50051");
        Assert.That(ListeningPorts.IsListed(Tcp6, 8080), Is.True, "[::]:8080");
    }

    [Test]
    public void An_Established_Connection_Or_Another_Port_Does_Not_Count()
    {
        Assert.That(ListeningPorts.IsListed(Tcp, 8080), Is.False, "only an established connection from port 8080");
        Assert.That(ListeningPorts.IsListed(Tcp6, 8081), Is.False);
        Assert.That(ListeningPorts.IsListed("", 8080), Is.False);
    }
}
