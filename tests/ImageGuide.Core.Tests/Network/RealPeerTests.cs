using System.Collections.Concurrent;
using System.Net;
using ImageGuide.Dicom;
using ImageGuide.Dicom.Network;

namespace ImageGuide.Tests.Network;

/// <summary>
/// The library against real DICOM implementations: DCMTK's echoscu/storescu against the library's SCP, the
/// library's SCU against DCMTK's storescp, and push/query/C-MOVE/C-GET against an Orthanc PACS started on loopback
/// (its REST API says what arrived). Skipped when the tools are missing; failed under CI=true.
/// </summary>
public class RealPeerTests : LoopbackScpFixture
{
    private static Dictionary<string, byte[]> DatasetsBySop(IEnumerable<string> files) =>
        files.ToDictionary(f => DicomFile.ReadHeader(f).Dataset.GetString(DicomTags.SopInstanceUid), NetworkPeers.DatasetBytes);

    [Test]
    public void DcmtkEchoAndStoreToTheLibraryScp()
    {
        string echoscu = NetworkPeers.RequireTool("echoscu", "dcmtk"), storescu = NetworkPeers.RequireTool("storescu", "dcmtk");
        StartScp();
        string port = Server!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var files = NetworkPeers.WriteSeries(Path.Combine(Dir, "ct"), "CT", 5, seed: 21);
        var echo = NetworkPeers.Run(echoscu, ["-aet", "DCMTK", "-aec", "IGSCP", "127.0.0.1", port]);
        Assert.That(echo.ExitCode, Is.Zero, echo.Output);
        var wrong = NetworkPeers.Run(echoscu, ["-aet", "DCMTK", "-aec", "SOMEONE", "127.0.0.1", port]);
        Assert.That(wrong.ExitCode, Is.Not.Zero);
        Assert.That(wrong.Output, Does.Contain("Called AE Title Not Recognized"));
        var store = NetworkPeers.Run(storescu, ["-aet", "DCMTK", "-aec", "IGSCP", "127.0.0.1", port, .. files]);
        Assert.That(store.ExitCode, Is.Zero, store.Output);
        var sent = DatasetsBySop(files);
        var filed = Filed(Received);
        Assert.That(filed, Has.Length.EqualTo(5));
        foreach (string f in filed)
            Assert.That(NetworkPeers.DatasetBytes(f), Is.EqualTo(sent[Path.GetFileNameWithoutExtension(f)]), f);
    }

    [Test]
    public void DcmtkProposingOnlyImplicitVrIsFiledInImplicitVrWithTheSamePixels()
    {
        string storescu = NetworkPeers.RequireTool("storescu", "dcmtk");
        StartScp();
        var files = NetworkPeers.WriteSeries(Path.Combine(Dir, "mr"), "MR", 2, seed: 22);
        var store = NetworkPeers.Run(storescu, ["-xi", "-aet", "DCMTK", "-aec", "IGSCP", "127.0.0.1", Server!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. files]);
        Assert.That(store.ExitCode, Is.Zero, store.Output);
        foreach (string f in files)
        {
            var original = DicomFile.Read(f);
            string sop = original.Dataset.GetString(DicomTags.SopInstanceUid);
            var received = DicomFile.Read(Filed(Received).Single(x => Path.GetFileNameWithoutExtension(x) == sop));
            Assert.That(received.TransferSyntaxUid, Is.EqualTo("1.2.840.10008.1.2"));
            Assert.That(received.Dataset.TryGetDoubles(DicomTags.ImagePositionPatient, out var p1) && original.Dataset.TryGetDoubles(DicomTags.ImagePositionPatient, out var p0) && p1.SequenceEqual(p0));
            Assert.That(Pixels(received), Is.EqualTo(Pixels(original)));
        }
    }

    private static int[] Pixels(DicomFile f)
    {
        var pd = f.GetPixelData();
        var values = new int[pd.SamplesPerFrame];
        pd.DecodeFrameStoredValues(0, values);
        return values;
    }

    [Test]
    public async Task LibraryStoresToDcmtkStorescp()
    {
        string storescp = NetworkPeers.RequireTool("storescp", "dcmtk");
        int port = NetworkPeers.FreePort();
        string outDir = Path.Combine(Dir, "storescp");
        Directory.CreateDirectory(outDir);
        using var scp = new NetworkPeers.Background(storescp, "-aet", "DCMTKSCP", "-od", outDir, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        scp.WaitForPort(port);
        var files = NetworkPeers.WriteSeries(Path.Combine(Dir, "ct"), "CT", 4, seed: 23);
        var client = new DicomClient(new DicomPeer("DCMTKSCP", "127.0.0.1", port), "IGSCU");
        await client.EchoAsync();
        var results = await client.StoreAsync(files);
        Assert.That(results.All(r => r.Succeeded), string.Join("; ", results.Select(r => r.Message)));
        var sent = DatasetsBySop(files);
        var written = Directory.GetFiles(outDir);
        Assert.That(written, Has.Length.EqualTo(4), scp.Log);
        foreach (string f in written)
            Assert.That(NetworkPeers.DatasetBytes(f), Is.EqualTo(sent[DicomFile.ReadHeader(f).Dataset.GetString(DicomTags.SopInstanceUid)]));
    }

    [Test]
    public async Task PushQueryMoveAndGetAgainstOrthanc()
    {
        StartScp();
        using var orthanc = new NetworkPeers.Orthanc(Dir, new Dictionary<string, int> { ["IGSCP"] = Server!.Port });
        string study = ImageGuide.Dicom.Writing.DicomUid.Generate();
        var ct = NetworkPeers.WriteSeries(Path.Combine(Dir, "ct"), "CT", 6, seed: 31, studyUid: study, patientId: "ORTH-1");
        var mr = NetworkPeers.WriteSeries(Path.Combine(Dir, "mr"), "MR", 4, seed: 32, studyUid: study, patientId: "ORTH-1");
        var sent = DatasetsBySop(ct.Concat(mr));
        var client = new DicomClient(DicomPeer.Parse(orthanc.Address), "IGSCP");

        // push: Orthanc's REST API holds every instance, byte-identical after the File Meta
        await client.EchoAsync();
        var pushed = await client.StoreAsync([.. ct, .. mr]);
        Assert.That(pushed.All(r => r.Succeeded), string.Join("; ", pushed.Select(r => r.Message)));
        Assert.That(orthanc.Get("/statistics").GetProperty("CountInstances").GetInt32(), Is.EqualTo(10));
        foreach (var (sop, bytes) in sent)
        {
            string tmp = Path.Combine(Dir, "orthanc-" + sop + ".dcm");
            File.WriteAllBytes(tmp, orthanc.InstanceFile(sop));
            Assert.That(NetworkPeers.DatasetBytes(tmp), Is.EqualTo(bytes), sop);
        }

        // query: patient, study, series and image levels
        var patients = await client.FindAsync(DicomQuery.Default(QueryLevel.Patient).Set(DicomTags.PatientId, "ORTH-1"));
        Assert.That(patients.Single().GetString(DicomTags.PatientName), Is.EqualTo("NETWORK^TEST"));
        var studies = await client.FindAsync(DicomQuery.Default(QueryLevel.Study).Set(DicomTags.PatientId, "ORTH-1"));
        Assert.That(studies.Single().GetString(DicomTags.StudyInstanceUid), Is.EqualTo(study));
        Assert.That(studies.Single().GetString(new DicomTag(0x0020, 0x1208)), Is.EqualTo("10"));
        var series = await client.FindAsync(DicomQuery.Default(QueryLevel.Series).Set(DicomTags.StudyInstanceUid, study));
        Assert.That(series.Select(s => s.GetString(DicomTags.Modality)).Order(), Is.EqualTo(new[] { "CT", "MR" }));
        string mrSeries = series.Single(s => s.GetString(DicomTags.Modality) == "MR").GetString(DicomTags.SeriesInstanceUid);
        var images = await client.FindAsync(DicomQuery.Default(QueryLevel.Image).Set(DicomTags.StudyInstanceUid, study).Set(DicomTags.SeriesInstanceUid, mrSeries));
        Assert.That(images.Select(i => i.GetString(DicomTags.SopInstanceUid)).Order(), Is.EqualTo(mr.Select(f => DicomFile.ReadHeader(f).Dataset.GetString(DicomTags.SopInstanceUid)).Order()));
        Assert.That(await client.FindAsync(DicomQuery.Default(QueryLevel.Study).Set(DicomTags.PatientId, "NOBODY")), Is.Empty);

        // C-MOVE the MR series to the library's SCP
        var moved = await client.MoveAsync("IGSCP", new DicomQuery(QueryLevel.Series).Set(DicomTags.StudyInstanceUid, study).Set(DicomTags.SeriesInstanceUid, mrSeries));
        Assert.That(moved.Succeeded, $"status 0x{moved.Status:X4}, failed {moved.Failed}");
        Assert.That(moved.Completed, Is.EqualTo(4));
        var filed = Filed(Received);
        Assert.That(filed, Has.Length.EqualTo(4));
        foreach (string f in filed) Assert.That(NetworkPeers.DatasetBytes(f), Is.EqualTo(sent[Path.GetFileNameWithoutExtension(f)]), f);

        // C-MOVE to an AE Orthanc does not know fails with a status, not an exception
        var unknown = await client.MoveAsync("NOWHERE", new DicomQuery(QueryLevel.Study).Set(DicomTags.StudyInstanceUid, study));
        Assert.That(unknown.Succeeded, Is.False);

        // C-GET the whole study on the association itself
        string got = Path.Combine(Dir, "got");
        var get = await client.GetAsync(new DicomQuery(QueryLevel.Study).Set(DicomTags.StudyInstanceUid, study), got);
        Assert.That(get.Succeeded, $"status 0x{get.Status:X4}, failed {get.Failed}");
        Assert.That(get.Completed, Is.EqualTo(10));
        Assert.That(get.Received, Has.Count.EqualTo(10));
        foreach (var s in get.Received)
        {
            Assert.That(s.Status, Is.EqualTo(DimseStatus.Success));
            Assert.That(NetworkPeers.DatasetBytes(s.Path!), Is.EqualTo(sent[s.SopInstanceUid]), s.Path);
            Assert.That(s.Path, Does.StartWith(Path.Combine(got, study)));
        }
    }

    [Test]
    public async Task OrthancAsStorageScuToTheLibraryScp()
    {
        StartScp();
        using var orthanc = new NetworkPeers.Orthanc(Dir, new Dictionary<string, int> { ["IGSCP"] = Server!.Port });
        var files = NetworkPeers.WriteSeries(Path.Combine(Dir, "ct"), "CT", 3, seed: 41);
        var client = new DicomClient(DicomPeer.Parse(orthanc.Address), "IGSCP");
        Assert.That((await client.StoreAsync(files)).All(r => r.Succeeded));
        // Orthanc's own C-ECHO and C-STORE SCU, driven through its REST API
        using var http = new HttpClient();
        var echo = await http.PostAsync($"http://127.0.0.1:{orthanc.HttpPort}/modalities/igscp/echo", new StringContent("{}"));
        Assert.That(echo.IsSuccessStatusCode, await echo.Content.ReadAsStringAsync());
        var store = await http.PostAsync($"http://127.0.0.1:{orthanc.HttpPort}/modalities/igscp/store", new StringContent(orthanc.Get("/instances").ToString()));
        Assert.That(store.IsSuccessStatusCode, await store.Content.ReadAsStringAsync());
        var sent = DatasetsBySop(files);
        var filed = Filed(Received);
        Assert.That(filed, Has.Length.EqualTo(3));
        foreach (string f in filed) Assert.That(NetworkPeers.DatasetBytes(f), Is.EqualTo(sent[Path.GetFileNameWithoutExtension(f)]));
    }
}
