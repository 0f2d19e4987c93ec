using System.Diagnostics;
using System.Globalization;
using ImageGuide.Dicom;
using ImageGuide.Dicom.Writing;
using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

/// <summary>The DICOM Spatial Registration (REG) object: convention, structure, and that our parser and pydicom read it back.</summary>
[TestFixture]
public class SpatialRegistrationObjectTests
{
    private const string FixedFor = "1.2.826.0.1.3680043.2.1125.1.1";
    private const string MovingFor = "1.2.826.0.1.3680043.2.1125.1.2";
    private const string Study = "1.2.826.0.1.3680043.2.1125.1.10";
    private const string OtherStudy = "1.2.826.0.1.3680043.2.1125.1.11";

    /// <summary>
    /// Fixed → moving: 90° about z then +10 mm along x, i.e. x_m = R x_f + (10, 0, 0) with R = [[0,−1,0],[1,0,0],[0,0,1]].
    /// The REG matrix maps moving to fixed: x_f = Rᵀ x_m − Rᵀ(10, 0, 0) = [[0,1,0,0],[−1,0,0,10],[0,0,1,0],[0,0,0,1]].
    /// Check: x_f = (1,2,3) → x_m = (−2,1,3) + (10,0,0) = (8,1,3) → M·(8,1,3) = (1, −8 + 10, 3).
    /// </summary>
    private static readonly RigidTransform FixedToMoving = new(Versor.FromAxisAngle(new Vec3(0, 0, 1), Math.PI / 2), new Vec3(10, 0, 0), Vec3.Zero);
    private static readonly double[] HandMatrix = [0, 1, 0, 0, -1, 0, 0, 10, 0, 0, 1, 0, 0, 0, 0, 1];

    private string _dir = "";

    [SetUp] public void SetUp() => _dir = TestPaths.NewTempDir();
    [TearDown] public void TearDown() => Directory.Delete(_dir, true);

    private static DicomSeriesReference Fixed => new(FixedFor, Study, "1.2.826.0.1.3680043.2.1125.1.20",
        [new DicomInstanceReference(DicomSeriesWriter.CtImageStorage, "1.2.826.0.1.3680043.2.1125.1.20.1"),
         new DicomInstanceReference(DicomSeriesWriter.CtImageStorage, "1.2.826.0.1.3680043.2.1125.1.20.2")]);

    private static DicomSeriesReference Moving => new(MovingFor, OtherStudy, "1.2.826.0.1.3680043.2.1125.1.30",
        [new DicomInstanceReference(DicomSeriesWriter.MrImageStorage, "1.2.826.0.1.3680043.2.1125.1.30.1")]);

    [Test]
    public void RegistrationMatrix_IsTheHandComputedMovingToFixedMatrix()
    {
        var m = DicomSpatialRegistrationWriter.RegistrationMatrix(FixedToMoving);
        Assert.That(m, Is.EqualTo(HandMatrix).Within(1e-12));
        // and it undoes the registration: M · T(p) = p
        var p = new Vec3(1, 2, 3);
        var q = FixedToMoving.TransformPoint(p);
        Assert.That(q.X, Is.EqualTo(8).Within(1e-12));
        var back = new Vec3(m[0] * q.X + m[1] * q.Y + m[2] * q.Z + m[3], m[4] * q.X + m[5] * q.Y + m[6] * q.Z + m[7], m[8] * q.X + m[9] * q.Y + m[10] * q.Z + m[11]);
        Assert.That((back - p).Length, Is.LessThan(1e-12));
    }

    [Test]
    public void Written_Object_ReadsBackWithOurParser()
    {
        string path = Path.Combine(_dir, "reg.dcm");
        string sop = DicomSpatialRegistrationWriter.Write(path, FixedToMoving, Fixed, Moving, new DicomSpatialRegistrationOptions { PatientId = "P1" });
        var f = DicomFile.Read(path);
        var ds = f.Dataset;
        Assert.That(ds.GetString(DicomTags.SopClassUid), Is.EqualTo("1.2.840.10008.5.1.4.1.1.66.1"));
        Assert.That(ds.GetString(new DicomTag(0x0008, 0x0018)), Is.EqualTo(sop));
        Assert.That(f.FileMetaInformation.GetString(DicomTags.MediaStorageSopClassUid), Is.EqualTo("1.2.840.10008.5.1.4.1.1.66.1"));
        Assert.That(ds.GetString(new DicomTag(0x0008, 0x0060)), Is.EqualTo("REG"));
        Assert.That(ds.GetString(DicomTags.FrameOfReferenceUid), Is.EqualTo(FixedFor), "the registration's frame is the fixed one");
        Assert.That(ds.GetString(new DicomTag(0x0020, 0x000D)), Is.EqualTo(Study), "the REG joins the fixed series' study");

        Assert.That(ds.TryGetSequence(new DicomTag(0x0070, 0x0308), out var regs), Is.True);
        Assert.That(regs!, Has.Count.EqualTo(2));
        Assert.That(regs![0].GetString(DicomTags.FrameOfReferenceUid), Is.EqualTo(FixedFor));
        Assert.That(Matrix(regs[0], out var type0), Is.EqualTo(new double[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 }));
        Assert.That(type0, Is.EqualTo("RIGID"));
        Assert.That(regs[1].GetString(DicomTags.FrameOfReferenceUid), Is.EqualTo(MovingFor));
        Assert.That(Matrix(regs[1], out var type1), Is.EqualTo(HandMatrix).Within(1e-12));
        Assert.That(type1, Is.EqualTo("RIGID"));

        // fixed series in the REG's study; the moving one in another study
        Assert.That(ds.TryGetSequence(new DicomTag(0x0008, 0x1115), out var series), Is.True);
        Assert.That(series!, Has.Count.EqualTo(1));
        Assert.That(series![0].GetString(new DicomTag(0x0020, 0x000E)), Is.EqualTo(Fixed.SeriesInstanceUid));
        Assert.That(series[0].TryGetSequence(new DicomTag(0x0008, 0x114A), out var inst), Is.True);
        Assert.That(inst!.Select(i => i.GetString(new DicomTag(0x0008, 0x1155))), Is.EqualTo(Fixed.Instances.Select(i => i.SopInstanceUid)));
        Assert.That(ds.TryGetSequence(new DicomTag(0x0008, 0x1200), out var studies), Is.True);
        Assert.That(studies![0].GetString(new DicomTag(0x0020, 0x000D)), Is.EqualTo(OtherStudy));
        Assert.That(studies[0].TryGetSequence(new DicomTag(0x0008, 0x1115), out var other), Is.True);
        Assert.That(other![0].GetString(new DicomTag(0x0020, 0x000E)), Is.EqualTo(Moving.SeriesInstanceUid));
    }

    private static double[] Matrix(DicomDataset registrationItem, out string type)
    {
        Assert.That(registrationItem.TryGetSequence(new DicomTag(0x0070, 0x0309), out var mreg), Is.True);
        Assert.That(mreg![0].TryGetSequence(new DicomTag(0x0070, 0x030A), out var mseq), Is.True);
        type = mseq![0].GetString(new DicomTag(0x0070, 0x030C));
        Assert.That(mseq[0].TryGetDoubles(new DicomTag(0x3006, 0x00C6), out var m), Is.True);
        return m!;
    }

    [Test]
    public void SameFrameOfReference_AndAnExistingFile_AreRefused()
    {
        string path = Path.Combine(_dir, "reg.dcm");
        var ex = Assert.Throws<ImageGuideException>(() => DicomSpatialRegistrationWriter.Write(path, FixedToMoving, Fixed, Fixed));
        Assert.That(ex!.Message, Does.Contain(FixedFor));
        Assert.That(File.Exists(path), Is.False);
        File.WriteAllText(path, "mine");
        Assert.Throws<ImageGuideException>(() => DicomSpatialRegistrationWriter.Write(path, FixedToMoving, Fixed, Moving));
        Assert.That(File.ReadAllText(path), Is.EqualTo("mine"));
    }

    [Test]
    public void Pydicom_ReadsTheSameMatrix()
    {
        string path = Path.Combine(_dir, "reg.dcm");
        DicomSpatialRegistrationWriter.Write(path, FixedToMoving, Fixed, Moving);
        const string script = "import sys, pydicom\nd = pydicom.dcmread(sys.argv[1])\n" +
            "print(d.SOPClassUID, d.FrameOfReferenceUID)\n" +
            "for r in d.RegistrationSequence:\n  m = r.MatrixRegistrationSequence[0].MatrixSequence[0]\n" +
            "  print(r.FrameOfReferenceUID, m.FrameOfReferenceTransformationMatrixType, ' '.join(repr(float(v)) for v in m.FrameOfReferenceTransformationMatrix))\n";
        string output;
        try
        {
            // the system interpreter carries the distribution's python3-pydicom; a python3 earlier on PATH may not
            var psi = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(script); psi.ArgumentList.Add(path);
            using var p = Process.Start(psi)!;
            output = p.StandardOutput.ReadToEnd();
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0 && err.Contains("No module named 'pydicom'", StringComparison.Ordinal)) Assert.Ignore("pydicom is not installed.");
            Assert.That(p.ExitCode, Is.EqualTo(0), err);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("python3 is not installed.");
            return;
        }
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo($"1.2.840.10008.5.1.4.1.1.66.1 {FixedFor}"));
        var moving = lines[2].Split(' ');
        Assert.That(moving[0], Is.EqualTo(MovingFor));
        Assert.That(moving[1], Is.EqualTo("RIGID"));
        Assert.That(moving.Skip(2).Select(v => double.Parse(v, CultureInfo.InvariantCulture)), Is.EqualTo(HandMatrix).Within(1e-12));
    }
}
