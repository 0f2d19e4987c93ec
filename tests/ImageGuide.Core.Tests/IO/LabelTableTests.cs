using ImageGuide.IO;
using ImageGuide.Model;

namespace ImageGuide.Tests.IO;

public class LabelTableTests : IoTestBase
{
    // The example of ARCHITECTURE.md, verbatim.
    private const string ArchitectureExample =
        """{"labels":[{"value":1,"name":"tumour","role":"Target"},{"value":2,"name":"cord","role":"Critical","clearanceMm":5},""" +
        """{"value":3,"name":"vertebra","role":"Bone"},{"value":4,"name":"body","role":"Body"}]}""";

    [Test]
    public void ArchitectureExample_IsReadAsWritten()
    {
        var t = LabelTableJson.Parse(ArchitectureExample);
        Assert.That(t.Labels, Has.Count.EqualTo(4));
        Assert.That(t["cord"], Is.EqualTo(new LabelDefinition(2, "cord", LabelRole.Critical, 5)));
        Assert.That(t["TUMOUR"].Role, Is.EqualTo(LabelRole.Target));
        Assert.That(t.TryGet((byte)3, out var bone) && bone.Name == "vertebra", Is.True);
        Assert.That(t.TryGet((byte)9, out _), Is.False);
        Assert.That(t.WithRole(LabelRole.Body).Single().Value, Is.EqualTo(4));
        Assert.That(t["body"].ClearanceMm, Is.Null);
    }

    [Test]
    public void Colors_BothForms_AndRoundTrip()
    {
        var t = LabelTableJson.Parse("""{"labels":[{"value":1,"name":"a","role":"other","color":[255,0,10]},{"value":2,"name":"b","role":"Bone","color":"#10ff00","clearanceMm":2.5}]}""");
        Assert.That(t["a"].Color, Is.EqualTo(new LabelColor(255, 0, 10)));
        Assert.That(t["b"].Color, Is.EqualTo(new LabelColor(0x10, 0xff, 0)));
        var back = LabelTableJson.Parse(LabelTableJson.Format(t));
        Assert.That(back.Labels, Is.EqualTo(t.Labels));
    }

    [Test]
    public void InvalidTables_AreRefusedWithReasons()
    {
        var e1 = Assert.Throws<InvalidImageDataException>(() => LabelTableJson.Parse("""{"labels":[{"value":1,"name":"a","role":"Skin"}]}""", "t.json"));
        Assert.That(e1!.Message, Does.Contain("t.json").And.Contain("labels[0]").And.Contain("Critical"));
        var e2 = Assert.Throws<InvalidImageDataException>(() => LabelTableJson.Parse("""{"labels":[{"value":1,"name":"a","role":"Bone"},{"value":1,"name":"b","role":"Bone"}]}""", "t.json"));
        Assert.That(e2!.Message, Does.Contain("t.json").And.Contain("value 1"));
        Assert.Throws<InvalidImageDataException>(() => LabelTableJson.Parse("""{"labels":[{"value":1,"name":"a","role":"Bone"},{"value":2,"name":"A","role":"Bone"}]}"""));
        Assert.Throws<InvalidImageDataException>(() => LabelTableJson.Parse("""{"labels":[{"value":300,"name":"a","role":"Bone"}]}"""));
        Assert.Throws<InvalidImageDataException>(() => LabelTableJson.Parse("""{"labels":[{"value":1,"name":"a","role":"Critical","clearanceMm":-1}]}"""));
        Assert.Throws<InvalidImageDataException>(() => LabelTableJson.Parse("[1,2]"));
        Assert.Throws<ImageGuideException>(() => _ = LabelTableJson.Parse(ArchitectureExample)["aorta"]);
    }

    private static Volume<byte> Labels()
    {
        // 6×5×4 grid, spacing (1,2,3), origin (10,20,30): label 1 fills i∈{1,2}, j∈{1}, k∈{2,3}; label 4 one voxel at (5,4,0).
        var v = new Volume<byte>(new VolumeGeometry(6, 5, 4, new Vec3(1, 2, 3), new Vec3(10, 20, 30)));
        foreach (int k in new[] { 2, 3 }) foreach (int i in new[] { 1, 2 }) v[i, 1, k] = 1;
        v[5, 4, 0] = 4;
        return v;
    }

    [Test]
    public void LabelMap_FindsTheTableBesideTheVolume_AndComputesCentroids()
    {
        var map = new LabelMap(Labels(), LabelTableJson.Parse(ArchitectureExample));
        map.Write(P("LABELS.nii.gz"));
        Assert.That(File.Exists(P("LABELS.json")), Is.True);
        var back = LabelMap.Read(P("LABELS.nii.gz"));
        Assert.That(back.Volume.Data, Is.EqualTo(map.Volume.Data));
        Assert.That(back.Table.Labels, Is.EqualTo(map.Table.Labels));
        // centroid index (1.5, 1, 2.5) → (10 + 1.5, 20 + 2, 30 + 7.5)
        Assert.That(Vec3.MaxAbsDifference(back.Centroid("tumour"), new Vec3(11.5, 22, 37.5)), Is.LessThan(1e-9));
        Assert.That(back.VoxelCount("tumour"), Is.EqualTo(4));
        Assert.That(back.Warnings, Is.Empty);
        Assert.Throws<ImageGuideException>(() => back.Centroid("cord"), "no voxels");
    }

    [Test]
    public void LabelMap_ExplicitTable_MissingTable_UnknownValues_AndNonLabelVoxels()
    {
        var vol = Labels();
        vol[0, 0, 0] = 7;
        VolumeIO.Write(vol, P("seg.mha"));
        var e = Assert.Throws<InvalidImageDataException>(() => LabelMap.Read(P("seg.mha")));
        Assert.That(e!.Message, Does.Contain("seg.json").And.Contain("--label-table"));
        File.WriteAllText(P("table.json"), ArchitectureExample);
        var map = LabelMap.Read(P("seg.mha"), P("table.json"));
        Assert.That(map.Warnings.Single(), Does.Contain("7"));

        var f = new Volume<float>(new VolumeGeometry(2, 2, 2, new Vec3(1, 1, 1), Vec3.Zero));
        f.Data[3] = 1.5f;
        VolumeIO.Write(f, P("soft.nrrd"));
        Assert.Throws<InvalidImageDataException>(() => LabelMap.Read(P("soft.nrrd"), P("table.json")));
    }
}
