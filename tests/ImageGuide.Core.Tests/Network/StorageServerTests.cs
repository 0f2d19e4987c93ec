using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ImageGuide.Dicom;
using ImageGuide.Dicom.Network;

namespace ImageGuide.Tests.Network;

/// <summary>
/// The library's Storage SCP and SCU against each other and against a raw socket that breaks the protocol: what is
/// filed is byte-identical to what was sent, rejections and aborts are typed, a broken or stalled association never
/// stops the others, and nothing partial is ever left under a final name.
/// </summary>
public class StorageServerTests : LoopbackScpFixture
{
    private DicomClient Client(string called = "IGSCP") => new(new DicomPeer(called, "127.0.0.1", Server!.Port), "TESTSCU");

    private async Task<AssociationSummary> WaitEnded(Func<AssociationSummary, bool> which, int seconds = 10)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            foreach (var s in Ended) if (which(s)) return s;
            await Task.Delay(20);
        }
        Assert.Fail("the association did not end: " + string.Join("; ", Ended));
        return null!;
    }

    /// <summary>Where the SCP must file <paramref name="sent"/>: ROOT/StudyUID/SeriesUID/SOPInstanceUID.dcm.</summary>
    private string FiledPath(string sent)
    {
        var header = DicomFile.ReadHeader(sent).Dataset;
        return Path.Combine(Received, header.GetString(DicomTags.StudyInstanceUid), header.GetString(DicomTags.SeriesInstanceUid),
            header.GetString(DicomTags.SopInstanceUid) + ".dcm");
    }

    private string[] FiledFiles() => Filed(Received);

    [Test]
    public async Task EchoThenStoreFilesEveryInstanceByteIdenticalUnderStudyAndSeries()
    {
        StartScp();
        var files = NetworkPeers.WriteSeries(Path.Combine(Dir, "ct"), "CT", 6, seed: 1);
        await Client().EchoAsync();
        var results = await Client().StoreAsync(files);
        Assert.That(results.All(r => r.Succeeded), string.Join("; ", results.Select(r => r.Message)));
        foreach (string f in files)
        {
            string filed = FiledPath(f);
            Assert.That(NetworkPeers.DatasetBytes(filed), Is.EqualTo(NetworkPeers.DatasetBytes(f)), filed);
            Assert.That(DicomFile.Read(filed).GetPixelData(), Is.Not.Null);
        }
        Assert.That(FiledFiles(), Has.Length.EqualTo(6));
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(Received, ".incoming")), Is.Empty);
        var summary = await WaitEnded(s => s.Stored == 6);
        Assert.That(summary.Outcome, Is.EqualTo("released"));
        Assert.That(summary.CallingAeTitle, Is.EqualTo("TESTSCU"));
    }

    [Test]
    public async Task WrongCalledAeTitleIsRejectedWithItsReason()
    {
        StartScp();
        var e = Assert.ThrowsAsync<DicomAssociationRejectedException>(() => Client("NOTME").EchoAsync())!;
        Assert.That(e.Reject, Is.EqualTo(AssociateReject.CalledAeNotRecognized));
        Assert.That(e.Message, Does.Contain("called AE title not recognized"));
        Assert.That((await WaitEnded(s => s.Outcome == "rejected")).CallingAeTitle, Is.EqualTo("TESTSCU"));
    }

    [Test]
    public async Task UnreachablePeerIsANetworkError()
    {
        int port = NetworkPeers.FreePort();
        var client = new DicomClient(new DicomPeer("NOBODY", "127.0.0.1", port), "TESTSCU");
        var e = Assert.ThrowsAsync<DicomNetworkException>(() => client.EchoAsync())!;
        Assert.That(e.Message, Does.Contain("cannot connect"));
        await Task.CompletedTask;
    }

    /// <summary>Bytes a hostile peer sends; each must end its association with an A-ABORT (or close) and a typed reason, never the server.</summary>
    private static IEnumerable<TestCaseData> MalformedOpenings()
    {
        yield return new TestCaseData(new byte[] { 0x09, 0, 0, 0, 0, 4, 1, 2, 3, 4 }, "unknown PDU type").SetName("UnknownPduType");
        yield return new TestCaseData(new byte[] { 0x01, 0, 0x7F, 0xFF, 0xFF, 0xFF }, "declares 2147483647 bytes").SetName("HugeAssociateRequest");
        yield return new TestCaseData(new byte[] { 0x04, 0, 0, 0, 0, 8, 0, 0, 0, 4, 1, 3, 0, 0 }, "not an A-ASSOCIATE-RQ").SetName("DataBeforeAssociation");
        yield return new TestCaseData(new byte[] { 0x01, 0, 0, 0, 0, 10, 0, 1, 0, 0, 65, 65, 65, 65, 65, 65 }, "fixed part").SetName("TruncatedAssociateRequest");
        yield return new TestCaseData(new byte[] { 0x07, 0, 0, 0, 0, 99, 0, 0, 0, 0 }, "holds 4").SetName("AbortWithWrongLength");
    }

    [TestCaseSource(nameof(MalformedOpenings))]
    public async Task MalformedPduEndsOnlyThatAssociation(byte[] bytes, string reason)
    {
        StartScp();
        using (var raw = new TcpClient())
        {
            await raw.ConnectAsync(IPAddress.Loopback, Server!.Port);
            var s = raw.GetStream();
            await s.WriteAsync(bytes);
            var answer = new byte[10];
            int n = await s.ReadAtLeastAsync(answer, 10, throwOnEndOfStream: false).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            if (n == 10) Assert.That(answer[..2], Is.EqualTo(new byte[] { 7, 0 }), "an A-ABORT answers the malformed PDU");
        }
        var summary = await WaitEnded(s => s.Outcome == "error");
        Assert.That(summary.Error, Does.Contain(reason));
        await Client().EchoAsync(); // the server still serves
    }

    /// <summary>
    /// A client driven by hand: negotiates CT storage, sends a C-STORE-RQ command and the first half of a data set,
    /// then does what the test asks (abort, close, stall).
    /// </summary>
    private static async Task<TcpClient> HalfStoreAsync(int port, string file)
    {
        var raw = new TcpClient();
        await raw.ConnectAsync(IPAddress.Loopback, port);
        var s = raw.GetStream();
        await s.WriteAsync(PduCodec.EncodeAssociateRequest(new AssociateParameters
        {
            CalledAeTitle = "IGSCP", CallingAeTitle = "HALFWAY", MaxPduLength = 16384,
            Proposals = [new PresentationContextProposal(1, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.1"])],
        }));
        var head = new byte[6];
        await s.ReadExactlyAsync(head);
        Assert.That(head[0], Is.EqualTo(2), "A-ASSOCIATE-AC");
        await s.ReadExactlyAsync(new byte[BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(2))]);
        var header = DicomFile.ReadHeader(file);
        var cmd = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreRequest, MessageId = 1, AffectedSopClassUid = "1.2.840.10008.5.1.4.1.1.2",
            AffectedSopInstanceUid = header.Dataset.GetString(DicomTags.SopInstanceUid), DatasetType = 0,
        }.Encode();
        byte[] half = NetworkPeers.DatasetBytes(file)[..2000];
        await s.WriteAsync(Pdata(cmd, command: true, last: true));
        await s.WriteAsync(Pdata(half, command: false, last: false));
        return raw;
    }

    private static byte[] Pdata(byte[] data, bool command, bool last)
    {
        var pdu = new byte[12 + data.Length];
        pdu[0] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)(6 + data.Length));
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(6), (uint)(2 + data.Length));
        pdu[10] = 1;
        pdu[11] = (byte)((command ? 1 : 0) | (last ? 2 : 0));
        data.CopyTo(pdu, 12);
        return pdu;
    }

    [Test]
    public async Task AbortedTransferLeavesNothingBehind()
    {
        StartScp();
        var files = NetworkPeers.WriteSeries(Path.Combine(Dir, "ct"), "CT", 2, seed: 2);
        using (var raw = await HalfStoreAsync(Server!.Port, files[0]))
            await raw.GetStream().WriteAsync(PduCodec.EncodeAbort(0, 0));
        var summary = await WaitEnded(s => s.CallingAeTitle == "HALFWAY");
        Assert.That(summary.Outcome, Is.EqualTo("aborted"), summary.Error);
        Assert.That(summary.Error, Does.Contain("aborted the association"));
        using (var raw = await HalfStoreAsync(Server!.Port, files[0])) { } // closed without abort or release
        await WaitEnded(s => s.CallingAeTitle == "HALFWAY" && s.Error!.Contains("closed the connection"));
        Assert.That(FiledFiles(), Is.Empty);
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(Received, ".incoming")), Is.Empty, "temporary files are removed");
    }

    [Test]
    public async Task AStalledClientDoesNotHoldUpOthersAndTimesOut()
    {
        StartScp(DicomNetworkSettings.Default with { DimseTimeout = TimeSpan.FromSeconds(4) });
        var files = NetworkPeers.WriteSeries(Path.Combine(Dir, "ct"), "CT", 8, seed: 3);
        using var staller = await HalfStoreAsync(Server!.Port, files[0]);
        var results = await Client().StoreAsync(files.Skip(1).ToList());
        Assert.That(results.All(r => r.Succeeded));
        Assert.That(Ended.Any(s => s.CallingAeTitle == "HALFWAY"), Is.False, "served while the staller is still open");
        var summary = await WaitEnded(s => s.CallingAeTitle == "HALFWAY");
        Assert.That(summary.Error, Does.Contain("nothing received for 4 s"));
        Assert.That(FiledFiles(), Has.Length.EqualTo(7), "every completed instance is filed, the stalled one is not");
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(Received, ".incoming")), Is.Empty);
    }

    [Test]
    public async Task ExistingFilesAreNeverReplaced()
    {
        StartScp();
        var files = NetworkPeers.WriteSeries(Path.Combine(Dir, "ct"), "CT", 2, seed: 4);
        Assert.That((await Client().StoreAsync(files)).All(r => r.Succeeded));
        var again = await Client().StoreAsync(files);
        Assert.That(again.All(r => r.Status == DimseStatus.Success), "the identical instance again is a success");
        Assert.That(Stored.Count(s => s.Duplicate), Is.EqualTo(2));
        // a different instance under the same SOP Instance UID: pixel bytes changed, same UIDs
        string forged = Path.Combine(Dir, "forged.dcm");
        byte[] bytes = File.ReadAllBytes(files[0]);
        bytes[^1] ^= 0x55;
        File.WriteAllBytes(forged, bytes);
        string filed = FiledPath(files[0]);
        byte[] before = File.ReadAllBytes(filed);
        var refused = (await Client().StoreAsync([forged])).Single();
        Assert.That(refused.Status, Is.EqualTo(DimseStatus.DuplicateSopInstance));
        Assert.That(File.ReadAllBytes(filed), Is.EqualTo(before), "the filed instance is kept");
        Assert.That(FiledFiles(), Has.Length.EqualTo(2));
    }

    /// <summary>
    /// Seeded fuzz: a valid association opening plus a C-STORE, with bytes flipped, truncated or lengths corrupted,
    /// sent 150 times. Every association ends with a summary, the listener keeps answering, nothing partial is filed.
    /// </summary>
    [Test]
    public async Task MutatedStreamsNeverStopTheListener()
    {
        StartScp(DicomNetworkSettings.Default with { DimseTimeout = TimeSpan.FromSeconds(1), ArtimTimeout = TimeSpan.FromSeconds(1) });
        string file = NetworkPeers.WriteSeries(Path.Combine(Dir, "ct"), "CT", 1, seed: 7)[0];
        byte[] dataset = NetworkPeers.DatasetBytes(file);
        var header = DicomFile.ReadHeader(file).Dataset;
        byte[] valid =
        [
            .. PduCodec.EncodeAssociateRequest(new AssociateParameters
            {
                CalledAeTitle = "IGSCP", CallingAeTitle = "FUZZ", MaxPduLength = 16384,
                Proposals = [new PresentationContextProposal(1, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.1"])],
            }),
            .. Pdata(new DimseCommand
            {
                CommandField = DimseCommandField.CStoreRequest, MessageId = 1, AffectedSopClassUid = "1.2.840.10008.5.1.4.1.1.2",
                AffectedSopInstanceUid = header.GetString(DicomTags.SopInstanceUid), DatasetType = 0,
            }.Encode(), command: true, last: true),
            .. Pdata(dataset, command: false, last: true),
            .. PduCodec.EncodeReleaseRequest(),
        ];
        var rng = new Random(19);
        const int runs = 150;
        var clients = new List<Task>();
        for (int n = 0; n < runs; n++)
        {
            byte[] bytes = (byte[])valid.Clone();
            switch (n % 3)
            {
                case 0: for (int k = 0; k < 1 + rng.Next(4); k++) bytes[rng.Next(Math.Min(bytes.Length, 400))] ^= (byte)(1 + rng.Next(255)); break;
                case 1: bytes = bytes[..rng.Next(1, bytes.Length)]; break;
                default: bytes[rng.Next(Math.Min(bytes.Length, 400))] = 0xFF; bytes[rng.Next(Math.Min(bytes.Length, 400))] = 0x7F; break;
            }
            clients.Add(Task.Run(async () =>
            {
                using var raw = new TcpClient();
                await raw.ConnectAsync(IPAddress.Loopback, Server!.Port);
                var s = raw.GetStream();
                try
                {
                    await s.WriteAsync(bytes);
                    raw.Client.Shutdown(SocketShutdown.Send);
                    var sink = new byte[4096];
                    while (await s.ReadAsync(sink).AsTask().WaitAsync(TimeSpan.FromSeconds(10)) > 0) { }
                }
                catch (IOException) { }     // the server aborted and closed first
                catch (SocketException) { }
            }));
            if (clients.Count == 8) { await Task.WhenAll(clients); clients.Clear(); }
        }
        await Task.WhenAll(clients);
        var clock = Stopwatch.StartNew();
        while (Ended.Count < runs && clock.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(50);
        Assert.That(Ended.Count, Is.EqualTo(runs), "every association ended with a summary");
        await Client().EchoAsync();
        foreach (string f in FiledFiles()) Assert.That(NetworkPeers.DatasetBytes(f), Is.EqualTo(dataset), "only the intact instance can be filed");
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(Received, ".incoming")), Is.Empty);
        Assert.That(Ended.Count(s => s.Error?.StartsWith("internal error", StringComparison.Ordinal) == true), Is.Zero,
            string.Join("\n", Ended.Where(s => s.Error?.StartsWith("internal error", StringComparison.Ordinal) == true).Select(s => s.Error)));
    }

    [Test]
    public async Task ConcurrentClientsAllFiled()
    {
        StartScp();
        var series = Enumerable.Range(0, 4).Select(i => NetworkPeers.WriteSeries(Path.Combine(Dir, $"s{i}"), "MR", 5, seed: 10 + i)).ToArray();
        var all = await Task.WhenAll(series.Select(files => Client().StoreAsync(files)));
        Assert.That(all.SelectMany(r => r).All(r => r.Succeeded));
        Assert.That(FiledFiles(), Has.Length.EqualTo(20));
    }
}
