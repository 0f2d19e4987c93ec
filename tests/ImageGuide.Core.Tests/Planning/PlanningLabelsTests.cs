using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// Label maps not drawn for planning (<see cref="PlanningLabels"/>): the built-in TotalSegmentator table, the body told
/// from the air by the CT, and a spherical target — each against a hand-built case whose answer is known voxel by voxel.
/// </summary>
public class PlanningLabelsTests
{
    private static readonly VolumeGeometry Grid = new(40, 40, 6, new Vec3(2, 2, 2), new Vec3(-40, -40, 0));

    /// <summary>
    /// A CT of an elliptic body (fat, −100 HU) holding a gas pocket (−1000 HU, enclosed in its slice) and one labelled
    /// structure (value 5), with a table strip (200 HU) apart from it below and air (−1000 HU) around.
    /// </summary>
    private static (LabelMap Map, Volume<float> Ct) Scene()
    {
        var ct = new Volume<float>(Grid);
        var labels = new Volume<byte>(Grid);
        for (int k = 0; k < Grid.Nz; k++) for (int j = 0; j < Grid.Ny; j++) for (int i = 0; i < Grid.Nx; i++)
        {
            var p = Grid.IndexToPhysical(i, j, k);
            bool body = p.X * p.X / (30.0 * 30) + p.Y * p.Y / (20.0 * 20) <= 1;
            bool gas = Vec3.Distance(new Vec3(p.X, p.Y, 0), new Vec3(10, 0, 0)) <= 5;
            bool table = p.Y >= 30 && p.Y <= 34;
            ct[i, j, k] = table ? 200 : body && !gas ? -100 : -1000;
            if (body && Vec3.Distance(new Vec3(p.X, p.Y, 0), new Vec3(-12, 0, 0)) <= 5) labels[i, j, k] = 5;
        }
        var table0 = new LabelTable([new LabelDefinition(5, "kidney", LabelRole.Critical)]);
        return (new LabelMap(labels, table0), ct);
    }

    [Test]
    public void TheBodyIsTheCtsLargestPartWithItsEnclosedGasAndWithoutTheTable()
    {
        var (map, ct) = Scene();
        var result = PlanningLabels.WithBodyFrom(map, ct);
        var tissue = result.Table[PlanningLabels.UnlabelledTissueName];
        Assert.That((tissue.Value, tissue.Role), Is.EqualTo(((byte)255, LabelRole.Body)), "the largest free value, role Body");
        for (int k = 0; k < Grid.Nz; k++) for (int j = 0; j < Grid.Ny; j++) for (int i = 0; i < Grid.Nx; i++)
        {
            var p = Grid.IndexToPhysical(i, j, k);
            bool body = p.X * p.X / (30.0 * 30) + p.Y * p.Y / (20.0 * 20) <= 1;
            byte expected = map.Volume[i, j, k] != 0 ? map.Volume[i, j, k] : body ? tissue.Value : (byte)0;
            Assert.That(result.Volume[i, j, k], Is.EqualTo(expected), $"voxel {p}: {(body ? "inside the body (gas pocket filled)" : "air or the table, outside")}");
        }
        Assert.That(map.Volume.Data.Contains((byte)255), Is.False, "the input is not changed");
    }

    [Test]
    public void ACtWithItsRowsInTheOtherOrderGivesTheSameBody_ACtBesideTheLabelsOrNotInHounsfieldUnitsIsRefused()
    {
        var (map, ct) = Scene();
        var expected = PlanningLabels.WithBodyFrom(map, ct).Volume.Data;
        // the same voxels with j reversed (as TotalSegmentator writes a DICOM series' labels): sampled at the label voxels
        var flippedGrid = new VolumeGeometry(Grid.Nx, Grid.Ny, Grid.Nz, Grid.Spacing, Grid.IndexToPhysical(0, Grid.Ny - 1, 0), new Mat3(1, 0, 0, 0, -1, 0, 0, 0, 1));
        var flipped = new Volume<float>(flippedGrid);
        for (int k = 0; k < Grid.Nz; k++) for (int j = 0; j < Grid.Ny; j++) for (int i = 0; i < Grid.Nx; i++)
            flipped[i, Grid.Ny - 1 - j, k] = ct[i, j, k];
        Assert.That(PlanningLabels.WithBodyFrom(map, flipped).Volume.Data, Is.EqualTo(expected));
        var beside = new Volume<float>(Grid.WithOrigin(new Vec3(0, -40, 0)));
        var e = Assert.Throws<InvalidLabelsException>(() => PlanningLabels.WithBodyFrom(map, beside));
        Assert.That(e!.Message, Does.Contain("50% of the label map's grid").And.Contain("lies outside the image").And.Contain("--labels-transform"));
        var empty = new LabelMap(new Volume<byte>(Grid), map.Table);
        var air = new Volume<float>(Grid);
        air.Data.AsSpan().Fill(-1000);
        e = Assert.Throws<InvalidLabelsException>(() => PlanningLabels.WithBodyFrom(empty, air));
        Assert.That(e!.Message, Does.Contain("Hounsfield"));
    }

    [Test]
    public void TheTargetSphereTakesTissueAndBoneButNeverACriticalStructure()
    {
        var (map, ct) = Scene();
        var body = PlanningLabels.WithBodyFrom(map, ct);
        var centre = new Vec3(-4, 0, 6);
        var result = PlanningLabels.WithTargetSphere(body, centre, 9);
        var target = result.Table[PlanningLabels.TargetSphereName];
        Assert.That((target.Value, target.Role), Is.EqualTo(((byte)254, LabelRole.Target)));
        int painted = 0;
        for (int k = 0; k < Grid.Nz; k++) for (int j = 0; j < Grid.Ny; j++) for (int i = 0; i < Grid.Nx; i++)
        {
            byte before = body.Volume[i, j, k];
            bool inSphere = Vec3.Distance(Grid.IndexToPhysical(i, j, k), centre) <= 9;
            byte expected = inSphere && before != 0 && before != 5 ? target.Value : before;
            Assert.That(result.Volume[i, j, k], Is.EqualTo(expected));
            if (expected == target.Value) painted++;
        }
        Assert.That(painted, Is.GreaterThan(100), "a 9 mm sphere on a 2 mm grid");
        Assert.That(result.Volume.Data.Count(v => v == 5), Is.EqualTo(body.Volume.Data.Count(v => v == 5)), "the kidney keeps every voxel");
        var e = Assert.Throws<InvalidLabelsException>(() => PlanningLabels.WithTargetSphere(body, new Vec3(-38, -38, 2), 1));
        Assert.That(e!.Message, Does.Contain("covers no voxel inside the body"));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlanningLabels.WithTargetSphere(body, centre, 0));
    }

    [Test]
    public void TheTotalSegmentatorTableNamesEveryClassWithARole()
    {
        Assert.That(PlanningLabels.TryGetBuiltIn("TotalSegmentator", out var t), Is.True);
        Assert.That(PlanningLabels.TryGetBuiltIn("nonesuch", out _), Is.False);
        Assert.That(t.Labels.Select(l => (int)l.Value), Is.EqualTo(Enumerable.Range(1, 117)), "TotalSegmentator v2 'total': values 1–117");
        // spot checks against TotalSegmentator's class map (map_to_binary.py, 'total')
        Assert.That((t["vertebrae_L1"].Value, t["vertebrae_L1"].Role), Is.EqualTo(((byte)31, LabelRole.Bone)));
        Assert.That((t["spinal_cord"].Value, t["spinal_cord"].Role), Is.EqualTo(((byte)79, LabelRole.Critical)));
        Assert.That((t["aorta"].Value, t["inferior_vena_cava"].Value), Is.EqualTo(((byte)52, (byte)63)));
        Assert.That((t["autochthon_left"].Value, t["autochthon_left"].Role), Is.EqualTo(((byte)86, LabelRole.Other)), "paraspinal muscle: needles pass");
        Assert.That((t["costal_cartilages"].Value, t["rib_right_12"].Value, t["colon"].Role), Is.EqualTo(((byte)117, (byte)115, LabelRole.Critical)));
        Assert.That(t.Labels.Where(l => l.Role == LabelRole.Target), Is.Empty, "no class is a target: the lesion comes from the user");
        var c = PlanningConstraints.Default;
        foreach (var name in new[] { "aorta", "inferior_vena_cava", "iliac_artery_left", "iliac_vena_right", "portal_vein_and_splenic_vein" })
            Assert.That(c.IsHeatSink(name), Is.True, $"{name} counts as a large vessel for heat-sink warnings");
        Assert.That(c.IsHeatSink("spinal_cord"), Is.False);
    }
}
