using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using DevSpaces.Core.PortForwarding.Spdy;

namespace DevSpaces.Tests.PortForwarding;

public class SpdyFramesTests
{
    [Test]
    public void A_Syn_Stream_Carries_Its_Headers_As_A_Zlib_Stream_Any_Inflater_Reads()
    {
        var first = SpdyFrames.SynStreamFrame(1, [("streamtype", "error"), ("port", "8080"), ("requestid", "0")], startsHeaderStream: true);
        var second = SpdyFrames.SynStreamFrame(3, [("streamtype", "data"), ("port", "8080"), ("requestid", "0")], startsHeaderStream: false);
        var header = SpdyFrames.ReadHeader(first);
        Assert.Multiple(() =>
        {
            Assert.That(header.Control, Is.True);
            Assert.That(header.Type, Is.EqualTo(SpdyFrames.SynStream));
            Assert.That(header.Length, Is.EqualTo(first.Length - SpdyFrames.HeaderLength));
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(8)), Is.EqualTo(1));
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(second.AsSpan(8)), Is.EqualTo(3));
        });

        // The two header blocks, one after the other, are one zlib stream (as the receiver keeps one inflater).
        var compressed = first.AsSpan(18).ToArray().Concat(second.AsSpan(18).ToArray()).ToArray();
        using var inflater = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        Assert.Multiple(() =>
        {
            Assert.That(ReadBlock(inflater), Is.EqualTo(new[] { "streamtype=error", "port=8080", "requestid=0" }));
            Assert.That(ReadBlock(inflater), Is.EqualTo(new[] { "streamtype=data", "port=8080", "requestid=0" }));
        });
    }

    [Test]
    public void A_Data_Frame_Header_Names_Its_Stream_Flags_And_Length()
    {
        var frame = new byte[SpdyFrames.HeaderLength];
        SpdyFrames.WriteDataHeader(frame, 7, 70000, SpdyFrames.FlagFin);
        var header = SpdyFrames.ReadHeader(frame);
        Assert.That((header.Control, header.StreamId, header.Fin, header.Length), Is.EqualTo((false, 7u, true, 70000)));
    }

    [Test]
    public void A_Reset_Names_Its_Stream_And_Status()
    {
        var frame = SpdyFrames.RstStreamFrame(5, SpdyFrames.StatusCancel);
        var header = SpdyFrames.ReadHeader(frame);
        Assert.Multiple(() =>
        {
            Assert.That((header.Control, header.Type, header.Length), Is.EqualTo((true, SpdyFrames.RstStream, 8)));
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(8)), Is.EqualTo(5));
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(12)), Is.EqualTo(SpdyFrames.StatusCancel));
        });
    }

    [Test]
    public void A_Frame_Of_Another_Spdy_Version_Is_Refused()
    {
        var frame = SpdyFrames.PingFrame(2);
        frame[1] = 2;
        Assert.Throws<InvalidDataException>(() => SpdyFrames.ReadHeader(frame));
    }

    private static List<string> ReadBlock(Stream inflater)
    {
        var count = ReadInt(inflater);
        var pairs = new List<string>();
        for (var i = 0; i < count; i++)
        {
            pairs.Add($"{ReadText(inflater)}={ReadText(inflater)}");
        }

        return pairs;
    }

    private static int ReadInt(Stream stream)
    {
        var bytes = new byte[4];
        stream.ReadExactly(bytes);
        return BinaryPrimitives.ReadInt32BigEndian(bytes);
    }

    private static string ReadText(Stream stream)
    {
        var bytes = new byte[ReadInt(stream)];
        stream.ReadExactly(bytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
