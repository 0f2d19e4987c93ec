using ImageGuide.IO;
using ImageGuide.Visualization;
using ImageGuide.Viewer.App;

namespace ImageGuide.Tests.Viewer;

/// <summary>Loading the command line's files through core's readers.</summary>
public sealed class SceneLoaderTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), $"viewer-load-{Guid.NewGuid():N}"));

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void BaseOverlayTransformLabelsTableAndPlanAreLoaded()
    {
        var g = new VolumeGeometry(6, 5, 4, new Vec3(1, 1.5, 2), new Vec3(-3, 4, 10));
        var ct = new Volume<float>(g);
        for (int n = 0; n < ct.Data.Length; n++) ct.Data[n] = n - 50;
        var labels = new Volume<byte>(g);
        labels[1, 1, 1] = 1;
        labels[2, 2, 2] = 2;
        labels[3, 3, 3] = 4;
        var transform = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), 0.1), new Vec3(1, -2, 3), new Vec3(5, 5, 5));
        string basePath = Path.Combine(_dir, "ct.nii.gz"), overlayPath = Path.Combine(_dir, "mr.mha");
        string labelPath = Path.Combine(_dir, "labels.nii.gz"), tfm = Path.Combine(_dir, "t.tfm"), plan = Path.Combine(_dir, "plan.json");
        VolumeIO.Write(ct, basePath);
        VolumeIO.Write(ct, overlayPath);
        VolumeIO.Write(labels, labelPath);
        TransformIO.Write(transform, tfm);
        File.WriteAllText(Path.Combine(_dir, "labels.json"),
            """{"labels":[{"value":1,"name":"tumour","role":"Target"},{"value":2,"name":"cord","role":"Critical"},{"value":4,"name":"body","role":"Body"}]}""");
        File.WriteAllText(plan, """{"trajectories":[{"entry":[1,2,3],"target":[4,5,6]}]}""");

        var scene = SceneLoader.Load(ViewerOptions.Parse([basePath, "--overlay", overlayPath, "--transform", tfm, "--labels", labelPath, "--plan", plan]));

        Assert.That(scene.Base.Geometry.ApproximatelyEquals(g), "base geometry");
        Assert.That(scene.Base.Data, Is.EqualTo(ct.Data));
        Assert.That(scene.Overlay!.Geometry.ApproximatelyEquals(g), "overlay geometry");
        Assert.That(scene.OverlayTransform.MaxPointDifference(transform, [new Vec3(0, 0, 0), new Vec3(50, -20, 30)]), Is.LessThan(1e-6));
        Assert.That(scene.Labels!.Data, Is.EqualTo(labels.Data));
        // colours by role from labels.json beside labels.nii.gz; the body outline is not coloured
        Assert.That(scene.LabelColors[1], Is.EqualTo(new Rgb(255, 64, 64)));
        Assert.That(scene.LabelColors[2], Is.EqualTo(new Rgb(255, 220, 0)));
        Assert.That(scene.LabelColors.ContainsKey(4), Is.False);
        Assert.That(scene.Trajectories, Has.Count.EqualTo(1));
    }

    [TestCase("cooltip-single-3cm", "", 50, 45)]
    [TestCase("emprint-100W-10min", ""","thermalProtection":[{"structure":"csf","limitC":-3},{"structure":"cord","limitC":43}]""", 50, 43)]
    [TestCase("approx-2.4mm", ""","thermalProtection":[{"structure":"cord","limitC":-3}]""", 0, -20)]
    public void APlansIsothermsFollowItsModality(string model, string extra, double first, double second)
    {
        // RF and MW: the catalogue's zone edge (50 °C, docs/CLINICAL.md "Heat and nerves") and the neural heat limit the
        // plan names (else the 45 °C default); cryo: 0/−20/−40 °C as the snapshots
        var g = new VolumeGeometry(6, 5, 4, new Vec3(1, 1, 1), Vec3.Zero);
        string basePath = Path.Combine(_dir, "ct.mha"), plan = Path.Combine(_dir, "plan.json");
        VolumeIO.Write(new Volume<float>(g), basePath);
        File.WriteAllText(plan, "{\"trajectories\":[],\"probes\":[{\"model\":\"" + model + "\",\"tip\":[1,1,1],\"axis\":[0,0,1]}]" + extra + "}");

        var scene = SceneLoader.Load(ViewerOptions.Parse([basePath, "--plan", plan]));

        Assert.That(scene.Temperature, Is.Not.Null);
        Assert.That(scene.Isotherms.Select(i => i.TemperatureC).Take(2), Is.EqualTo(new[] { first, second }));
        if (first == 50)
            Assert.That(scene.Isotherms, Has.Count.EqualTo(2));
        else
            Assert.That(scene.Isotherms, Is.EqualTo(FusionSnapshot.DefaultIsotherms));
    }

    [Test]
    public void ADisplacementFieldOverlay_IsResampledOntoTheBaseGrid_ThroughTheField()
    {
        // a field that shifts every point by whole voxels: base voxel (i, j, k) shows overlay voxel (i + 1, j + 2, k)
        var g = new VolumeGeometry(8, 7, 5, new Vec3(1, 1.5, 2), new Vec3(-3, 4, 10));
        var mr = new Volume<float>(g);
        for (int n = 0; n < mr.Data.Length; n++) mr.Data[n] = n;
        var shift = new RigidTransform(Versor.Identity, new Vec3(1, 3, 0), g.Center);
        var field = DisplacementField.Sample(shift, g);
        string basePath = Path.Combine(_dir, "ct.mha"), overlayPath = Path.Combine(_dir, "mr.mha"), fieldPath = Path.Combine(_dir, "field.nii.gz");
        VolumeIO.Write(new Volume<float>(g), basePath);
        VolumeIO.Write(mr, overlayPath);
        DisplacementFieldFile.Write(field, fieldPath);

        var scene = SceneLoader.Load(ViewerOptions.Parse([basePath, "--overlay", overlayPath, "--transform", fieldPath]));

        Assert.That(scene.OverlayTransform.MaxPointDifference(RigidTransform.Identity, [new Vec3(0, 0, 0), new Vec3(50, -20, 30)]), Is.LessThan(1e-9));
        Assert.That(scene.Overlay!.Geometry.ApproximatelyEquals(g), "on the base grid");
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny - 2; j++)
                for (int i = 0; i < g.Nx - 1; i++)
                    Assert.That(scene.Overlay[i, j, k], Is.EqualTo(mr[i + 1, j + 2, k]).Within(1e-3), $"({i}, {j}, {k})");
    }

    [Test]
    public void WithoutATableEachPresentLabelGetsAColour()
    {
        var labels = new Volume<byte>(new VolumeGeometry(3, 3, 3, new Vec3(1, 1, 1), Vec3.Zero));
        labels[0, 0, 0] = 3;
        labels[1, 1, 1] = 9;
        var colors = SceneLoader.DefaultLabelColors(labels);
        Assert.That(colors.Keys, Is.EquivalentTo(new[] { 3, 9 }));
        Assert.That(colors[3], Is.Not.EqualTo(colors[9]), "values 3 and 9 take different places in the 8-colour cycle");
    }
}
