using ImageGuide.Dicom.Series;

namespace ImageGuide.Tests.Series;

[TestFixture]
public class CorpusScanTests
{
    [Test]
    public void ScanningThePydicomCorpusSkipsOrLoadsEveryFileWithoutStrayExceptions()
    {
        string root = TestPaths.RequireShared("pydicom-test-files");
        var scan = DicomSeriesScanner.ScanDetailed(root);
        // deterministic order
        Assert.That(scan.Series.Select(s => s.SeriesInstanceUid), Is.Ordered.Using<string>(StringComparer.Ordinal));
        Assert.That(scan.Series.Select(s => s.SeriesInstanceUid), Is.Unique);
        Assert.That(scan.Skipped.Select(s => s.Path), Is.Ordered.Using<string>(StringComparer.Ordinal));
        // every DICOMDIR is DICOM without pixel data
        Assert.That(scan.Skipped.Where(s => Path.GetFileName(s.Path) == "DICOMDIR"), Has.All.Matches<SkippedFile>(s => s.IsDicom));
        int loaded = 0, refused = 0;
        foreach (var series in scan.Series)
        {
            try
            {
                var v = series.Load();
                Assert.That(v.Geometry.Direction.OrthonormalityError(), Is.LessThan(1e-6));
                loaded++;
            }
            catch (ImageGuideException) { refused++; }
        }
        Assert.That(loaded, Is.GreaterThan(10));
        TestContext.Out.WriteLine($"{scan.Series.Count} series: {loaded} loaded, {refused} refused; {scan.Skipped.Count} files skipped");
    }
}
