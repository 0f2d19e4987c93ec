using ImageGuide.IO;
using ImageGuide.Model;

namespace ImageGuide.Tests.IO;

/// <summary>
/// Deterministic corruption sweeps: every header byte overwritten with hostile values, and every truncation length,
/// must either read or raise an <see cref="ImageGuideException"/> — never another exception type, a hang or a huge
/// allocation.
/// </summary>
public class CorruptionSweepTests : IoTestBase
{
    private static readonly byte[] Hostile = [0x00, 0xFF, (byte)'9', (byte)'\n'];

    private static Volume<short> Small()
    {
        var v = new Volume<short>(IoTestSupport.ObliqueGeometry(3, 3, 2));
        for (int n = 0; n < v.Data.Length; n++) v.Data[n] = (short)(n * 37 - 200);
        return v;
    }

    private void Sweep(string name, int headerBytes, Func<string, object> read)
    {
        string path = P(name);
        var original = File.ReadAllBytes(path);
        string probe = P("probe" + name[name.IndexOf('.')..]);
        int outcomes = 0;
        void Attempt(byte[] bytes, string what)
        {
            File.WriteAllBytes(probe, bytes);
            try { read(probe); }
            catch (ImageGuideException) { }
            catch (Exception e) { Assert.Fail($"{what}: {e.GetType().Name} escaped: {e.Message}"); }
            outcomes++;
        }
        int span = Math.Min(headerBytes, original.Length);
        for (int at = 0; at < span; at += Math.Max(1, span / 100))
            foreach (byte b in Hostile)
            {
                if (original[at] == b) continue;
                var copy = (byte[])original.Clone();
                copy[at] = b;
                Attempt(copy, $"byte {at} = 0x{b:X2}");
            }
        for (int len = 0; len < original.Length; len += Math.Max(1, original.Length / 60))
            Attempt(original[..len], $"truncated to {len} bytes");
        Assert.That(outcomes, Is.GreaterThan(100));
    }

    [Test]
    public void Nifti() { NiftiFormat.Write(Small(), P("a.nii")); Sweep("a.nii", 352, p => NiftiFormat.Read(p)); }

    [Test]
    public void NiftiGz() { NiftiFormat.Write(Small(), P("a.nii.gz")); Sweep("a.nii.gz", 64, p => NiftiFormat.Read(p)); }

    [Test]
    public void MetaImage()
    {
        MetaImageFormat.Write(Small(), P("a.mha"));
        Sweep("a.mha", File.ReadAllBytes(P("a.mha")).Length - 36, p => MetaImageFormat.Read(p));
    }

    [Test]
    public void MetaImageCompressed()
    {
        MetaImageFormat.Write(Small(), P("a.mha"), compress: true);
        Sweep("a.mha", File.ReadAllBytes(P("a.mha")).Length, p => MetaImageFormat.Read(p));
    }

    [Test]
    public void Nrrd()
    {
        NrrdFormat.Write(Small(), P("a.nrrd"), gzip: true);
        Sweep("a.nrrd", File.ReadAllBytes(P("a.nrrd")).Length, p => NrrdFormat.Read(p));
    }

    [Test]
    public void TransformFiles()
    {
        var t = new RigidTransform(Versor.FromAxisAngle(new Vec3(1, 1, 0), 0.3), new Vec3(1, 2, 3), new Vec3(4, 5, 6));
        ItkTransformFile.Write(t, P("a.tfm"));
        Sweep("a.tfm", 1000, p => ItkTransformFile.Read(p));
        RigidTransformJson.Write(t, P("b.json"));
        Sweep("b.json", 1000, p => RigidTransformJson.Read(p));
    }

    [Test]
    public void LandmarksAndLabels()
    {
        File.WriteAllText(P("a.fcsv"), "# CoordinateSystem = RAS\n# columns = id,x,y,z,ow,ox,oy,oz,vis,sel,lock,label,desc,associatedNodeID\nid,1,2,3,0,0,0,1,1,1,0,F-1,,\n");
        Sweep("a.fcsv", 1000, p => LandmarkFile.Read(p));
        File.WriteAllText(P("a.json"), "{\"markups\":[{\"coordinateSystem\":\"RAS\",\"controlPoints\":[{\"label\":\"x\",\"position\":[1,2,3]}]}]}");
        Sweep("a.json", 1000, p => LandmarkFile.Read(p));
        File.WriteAllText(P("t.json"), "{\"labels\":[{\"value\":2,\"name\":\"cord\",\"role\":\"Critical\",\"clearanceMm\":5,\"color\":[1,2,3]}]}");
        Sweep("t.json", 1000, p => LabelTableJson.Read(p));
    }
}
