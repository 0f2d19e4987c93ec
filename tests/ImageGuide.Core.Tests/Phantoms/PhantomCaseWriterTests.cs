using System.Text.Json;
using ImageGuide.Dicom.Series;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Phantoms;

namespace ImageGuide.Tests.Phantoms;

public class PhantomCaseWriterTests
{
    private string _folder = "";

    [OneTimeSetUp]
    public void WriteCase()
    {
        _folder = Path.Combine(Path.GetTempPath(), "imageguide-phantom-" + Guid.NewGuid().ToString("N"));
        PhantomCaseWriter.Write(PhantomFixture.Case, _folder);
    }

    [OneTimeTearDown]
    public void Delete()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void EverySeriesReadsBackThroughTheDicomReaderOnTheIntendedGridWithTheSameVoxels()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, PhantomCaseWriter.ManifestFileName)));
        var frames = manifest.RootElement.GetProperty("frames");
        Assert.That(frames.GetArrayLength(), Is.EqualTo(PhantomFixture.Case.Frames.Count));
        foreach (var entry in frames.EnumerateArray())
        {
            var frame = PhantomFixture.Case.Frames.Single(f => f.Name == entry.GetProperty("name").GetString());
            var found = DicomSeriesScanner.Scan(Path.Combine(_folder, entry.GetProperty("series").GetString()!));
            Assert.That(found, Has.Count.EqualTo(1), frame.Name);
            var loaded = found[0].Load();
            Assert.That(loaded.Geometry.ApproximatelyEquals(frame.Geometry, 1e-3), Is.True, $"{frame.Name}: {loaded.Geometry} vs {frame.Geometry}");
            for (long n = 0; n < loaded.Data.LongLength; n += 97)
                Assert.That(loaded.Data[n], Is.EqualTo(frame.Image.Data[n]), $"{frame.Name} voxel {n}");
        }
    }

    [Test]
    public void WritingTheSameCaseAgainGivesByteIdenticalFiles()
    {
        string again = Path.Combine(Path.GetTempPath(), "imageguide-phantom-" + Guid.NewGuid().ToString("N"));
        try
        {
            PhantomCaseWriter.Write(PhantomFixture.Case, again);
            var first = Directory.GetFiles(_folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_folder, f)).Order(StringComparer.Ordinal).ToArray();
            var second = Directory.GetFiles(again, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(again, f)).Order(StringComparer.Ordinal).ToArray();
            Assert.That(second, Is.EqualTo(first));
            foreach (var f in first)
                Assert.That(File.ReadAllBytes(Path.Combine(again, f)), Is.EqualTo(File.ReadAllBytes(Path.Combine(_folder, f))), f);
        }
        finally { Directory.Delete(again, recursive: true); }
    }

    [Test]
    public void MasksLandmarksAndTransformsReadBackUnchanged()
    {
        var c = PhantomFixture.Case;
        var labels = NiftiFormat.Read(Path.Combine(_folder, "ct", "labels.nii.gz")).ToVolume<byte>();
        Assert.That(labels.Geometry.ApproximatelyEquals(c.DiagnosticCt.Geometry, 1e-3), Is.True);
        Assert.That(labels.Data, Is.EqualTo(c.DiagnosticCt.Labels.Data));
        var ice = NiftiFormat.Read(Path.Combine(_folder, "intraop", "iceball.nii.gz")).ToVolume<byte>();
        Assert.That(ice.Data, Is.EqualTo(c.IntraOpTruth.IceBall.Data));
        var table = LabelTableJson.Read(Path.Combine(_folder, "labels.json"));
        Assert.That(table["cord"].ClearanceMm, Is.EqualTo(5));

        var ctLandmarks = LandmarkFile.Read(Path.Combine(_folder, "ct", "landmarks.csv"));
        var mrLandmarks = LandmarkFile.Read(Path.Combine(_folder, "mr", "landmarks.csv"));
        Assert.That(ctLandmarks, Has.Count.EqualTo(c.DiagnosticCt.Landmarks.Count));
        var ctToMr = ItkTransformFile.Read(Path.Combine(_folder, "transforms", "ct-to-mr.tfm"));
        int matched = 0;
        foreach (var l in ctLandmarks)
        {
            var m = mrLandmarks.FirstOrDefault(x => x.Name == l.Name);
            if (m is null) continue;
            Assert.That(Vec3.Distance(ctToMr.TransformPoint(l.PositionLps), m.PositionLps), Is.LessThan(1e-4), l.Name);
            matched++;
        }
        Assert.That(matched, Is.GreaterThanOrEqualTo(20));
    }

    [Test]
    public void WritingIntoAFolderThatHoldsFilesIsRefused()
    {
        Assert.Throws<ImageGuideException>(() => PhantomCaseWriter.Write(PhantomFixture.Case, _folder));
    }
}
