using System.Diagnostics;
using ImageGuide.Dicom.Series;
using ImageGuide.Files;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Tests.IO;

/// <summary>
/// Inputs that are not what they claim: a FIFO, a device, an endless or huge text file, a header pointing at files
/// elsewhere. Each is refused with a typed error naming the file, quickly, without reading it.
/// </summary>
[TestFixture]
public class HostileInputTests
{
    private string _dir = "";

    [SetUp] public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "imageguide-hostile-" + Guid.NewGuid().ToString("N")));
    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Fifo(string name)
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("FIFOs are a Unix matter.");
        string path = Path.Combine(_dir, name);
        using var p = Process.Start(new ProcessStartInfo("mkfifo", path) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, "mkfifo");
        return path;
    }

    /// <summary>Runs <paramref name="action"/> on a worker and fails if it does not finish in 10 s (a blocked open would hang forever).</summary>
    private static void Bounded(Action action)
    {
        var task = Task.Run(action);
        Assert.That(task.Wait(TimeSpan.FromSeconds(10)), Is.True, "finished within 10 s");
    }

    [Test]
    public void AFifo_AsATransformLandmarksOrVolume_IsRefusedWithoutBlocking()
    {
        string transform = Fifo("t.tfm"), landmarks = Fifo("l.csv"), volume = Fifo("v.mha"), nifti = Fifo("v.nii.gz");
        foreach (var (path, read) in new (string, Action)[] { (transform, () => TransformIO.Read(transform)), (landmarks, () => LandmarkFile.Read(landmarks)),
                     (volume, () => VolumeReader.Read<float>(volume)), (nifti, () => VolumeReader.Read<float>(nifti)) })
            Bounded(() => Assert.That(() => read(), Throws.InstanceOf<ImageGuideException>().With.Message.Contain(path).And.Message.Contain("not a regular file")));
    }

    [Test]
    public void ADevice_AsATextInput_IsRefused()
    {
        if (!File.Exists("/dev/zero")) Assert.Ignore("no /dev/zero here");
        Bounded(() => Assert.That(() => InputFile.ReadAllText("/dev/zero"), Throws.InstanceOf<ImageGuideException>().With.Message.Contain("not a regular file")));
    }

    [Test]
    public void ATextInputLargerThanTheCap_IsRefusedBeforeReading_NamingBothSizes()
    {
        string big = Path.Combine(_dir, "huge.tfm");
        using (var fs = File.Create(big)) fs.SetLength(InputFile.MaxTextBytes + 1); // sparse: nothing is written
        var clock = Stopwatch.StartNew();
        Assert.That(() => TransformIO.Read(big), Throws.InstanceOf<ImageGuideException>()
            .With.Message.Contain((InputFile.MaxTextBytes + 1).ToString("N0")).And.Message.Contain(InputFile.MaxTextBytes.ToString("N0")));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "refused by its size, not after reading it");
    }

    [TestCase("../outside.raw")]
    [TestCase("/etc/hostname")]
    public void AMetaImageHeader_NamingADataFileOutsideItsFolder_IsRefused(string dataFile)
    {
        string sub = Directory.CreateDirectory(Path.Combine(_dir, "images")).FullName;
        File.WriteAllBytes(Path.Combine(_dir, "outside.raw"), new byte[8]);
        string header = Path.Combine(sub, "h.mhd");
        File.WriteAllText(header, $"ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = {dataFile}\n");
        Assert.That(() => VolumeReader.Read<byte>(header), Throws.InstanceOf<InvalidImageDataException>().With.Message.Contain("outside the header's folder"));
    }

    [Test]
    public void ANrrdHeader_NamingADataFileOutsideItsFolder_IsRefused()
    {
        string sub = Directory.CreateDirectory(Path.Combine(_dir, "images")).FullName;
        File.WriteAllBytes(Path.Combine(_dir, "outside.raw"), new byte[8]);
        string header = Path.Combine(sub, "h.nhdr");
        File.WriteAllText(header, "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 2 2\nencoding: raw\ndata file: ../outside.raw\n\n");
        Assert.That(() => VolumeReader.Read<byte>(header), Throws.InstanceOf<InvalidImageDataException>().With.Message.Contain("outside the header's folder"));
    }

    [Test]
    public void ASmallNiftiDeclaringAHugeGrid_IsRefusedBeforeAllocating_NamingBothSizes()
    {
        // a real 1024³ int16 header (2 GiB of voxels) over a few kilobytes of compressed zeros
        string path = Path.Combine(_dir, "huge.nii.gz");
        var header = new byte[352];
        BitConverter.GetBytes(348).CopyTo(header, 0);
        foreach (var (offset, value) in new[] { (40, (short)3), (42, (short)1024), (44, (short)1024), (46, (short)1024), (48, (short)1), (70, (short)4), (72, (short)16) })
            BitConverter.GetBytes(value).CopyTo(header, offset);
        for (int d = 1; d <= 3; d++) BitConverter.GetBytes(1f).CopyTo(header, 76 + 4 * d);
        BitConverter.GetBytes(352f).CopyTo(header, 108);
        "n+1\0"u8.ToArray().CopyTo(header, 344);
        using (var gz = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
        {
            gz.Write(header);
            gz.Write(new byte[1 << 20]);
        }
        long before = GC.GetTotalAllocatedBytes(precise: true);
        Assert.That(() => VolumeReader.Read<short>(path), Throws.InstanceOf<InvalidImageDataException>()
            .With.Message.Contain("2,147,483,648 bytes").And.Message.Contain(ImageMemoryBudget.MaxBytes.ToString("N0")).And.Message.Contain("--max-image-memory"));
        Assert.That(GC.GetTotalAllocatedBytes(precise: true) - before, Is.LessThan(64L << 20), "nothing near the declared size was allocated");
    }

    [Test]
    public void AFolderScan_ThroughASymlinkLoop_EndsQuickly()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("symbolic links need privileges on Windows");
        string sub = Directory.CreateDirectory(Path.Combine(_dir, "a")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(sub, "loop"), _dir);
        File.WriteAllText(Path.Combine(sub, "notes.txt"), "not DICOM");
        DicomScanResult? result = null;
        Bounded(() => result = DicomSeriesScanner.ScanDetailed(_dir));
        Assert.That(result!.Series, Is.Empty);
        Assert.That(result.Skipped, Has.Count.EqualTo(1), "each real file once: the link is not followed");
    }

    [Test]
    public void ADicomFileDeclaringTwoBillionFrames_IsRefusedWithItsTag_WithoutAllocating()
    {
        var b = new ImageGuide.Tests.Dicom.DicomStreamBuilder();
        b.Text(0x0008, 0x0060, "CS", "CT").Text(0x0020, 0x000E, "UI", "1.2.3.4.5")
            .UInt16(0x0028, 0x0002, 1).Text(0x0028, 0x0004, "CS", "MONOCHROME2").Text(0x0028, 0x0008, "IS", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UInt16(0x0028, 0x0010, 512).UInt16(0x0028, 0x0011, 512).UInt16(0x0028, 0x0100, 16).UInt16(0x0028, 0x0101, 16).UInt16(0x0028, 0x0102, 15).UInt16(0x0028, 0x0103, 1)
            .Element(0x7FE0, 0x0010, "OW", new byte[512 * 512 * 2]);
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "series")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "bomb.dcm"), b.ToPart10());
        long before = GC.GetTotalAllocatedBytes(precise: true);
        Bounded(() => Assert.That(() => VolumeReader.Read(folder), Throws.InstanceOf<ImageGuideException>()
            .With.Message.Contain("bomb.dcm").And.Message.Contain("(0028,0008)").And.Message.Contain("--max-image-memory")));
        Assert.That(GC.GetTotalAllocatedBytes(precise: true) - before, Is.LessThan(256L << 20), "no header or buffer per declared frame");
    }

    [Test]
    public void AFolderScan_PassesOverAFifoInside_AndSaysSo()
    {
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not DICOM");
        Fifo("stream");
        DicomScanResult? result = null;
        Bounded(() => result = DicomSeriesScanner.ScanDetailed(_dir));
        Assert.That(result!.Skipped.Select(s => Path.GetFileName(s.Path)), Does.Contain("stream"));
        Assert.That(result.Skipped.Single(s => s.Path.EndsWith("stream", StringComparison.Ordinal)).Reason, Does.Contain("not a regular file"));
    }
}
