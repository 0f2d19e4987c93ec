using ImageGuide.Dicom;

namespace ImageGuide.Tests.Dicom;

/// <summary>Readers and decoders used from many threads at once give identical results.</summary>
[TestFixture]
public sealed class DicomConcurrencyTests
{
    private const int Threads = 8;

    private static string Fingerprint(DicomDataset ds)
    {
        var text = new System.Text.StringBuilder();
        foreach (DicomElement e in ds.Elements)
        {
            text.Append(e.Tag).Append(e.VR).Append(Convert.ToHexString(e.Value.Span)).Append('|');
            foreach (DicomDataset item in e.Items) text.Append('[').Append(Fingerprint(item)).Append(']');
            foreach (ReadOnlyMemory<byte> f in e.Fragments) text.Append(Convert.ToHexString(f.Span)).Append(';');
        }
        return text.ToString();
    }

    [TestCase("test_files/CT_small.dcm", false)]
    [TestCase("test_files/CT_small.dcm", true)]
    [TestCase("test_files/SC_rgb_rle_16bit_2frame.dcm", true)]
    [TestCase("test_files/rtdose_expb.dcm", true)]
    public void EightThreadsReadingTheSameFileAgree(string relative, bool headerOnly)
    {
        string path = TestPaths.RequireShared(Path.Combine(PydicomReference.Folder, relative));
        var fingerprints = new string[Threads];
        var pixels = new long[Threads][];
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            DicomFile file = headerOnly ? DicomFile.ReadHeader(path) : DicomFile.Read(path);
            fingerprints[t] = Fingerprint(file.Dataset);
            pixels[t] = DicomCorpusTests.DecodeAll(file.GetPixelData());
        })).ToArray();
        foreach (Thread w in workers) w.Start();
        foreach (Thread w in workers) w.Join();
        for (int t = 1; t < Threads; t++)
        {
            Assert.That(fingerprints[t], Is.EqualTo(fingerprints[0]), $"data set of thread {t}");
            Assert.That(pixels[t], Is.EqualTo(pixels[0]), $"pixels of thread {t}");
        }
        Assert.That(pixels[0], Is.EqualTo(DicomCorpusTests.DecodeAll(DicomFile.Read(path).GetPixelData())));
    }

    [Test]
    public void OnePixelDataSharedByEightThreads()
    {
        string path = TestPaths.RequireShared(Path.Combine(PydicomReference.Folder, "test_files/SC_rgb_rle_32bit_2frame.dcm"));
        DicomPixelData shared = DicomFile.ReadHeader(path).GetPixelData();
        long[] expected = DicomCorpusTests.DecodeAll(DicomFile.Read(path).GetPixelData());
        var results = new long[Threads][];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t => results[t] = DicomCorpusTests.DecodeAll(shared));
        foreach (long[] r in results) Assert.That(r, Is.EqualTo(expected));
    }
}
