using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

[TestFixture]
public class CbctTests
{
    private static readonly Lazy<Vec3[]> EvalPoints = new(() => MaskSampling.RandomPoints(
        SyntheticPhantom.Labels(SyntheticPhantom.FixedGrid()), 2000, 8));

    [Test]
    public void FieldOfViewMask_CoversTheCylinderMinusTheMargin()
    {
        var grid = SyntheticPhantom.FixedGrid();
        var cbct = SyntheticPhantom.RenderCbct(grid, 1);
        var mask = FieldOfViewMask.FromFillValue(cbct, -1000, marginVoxels: 2);
        var c = grid.Center;
        for (int k = 0; k < grid.Nz; k += 3)
            for (int j = 0; j < grid.Ny; j += 3)
                for (int i = 0; i < grid.Nx; i += 3)
                {
                    var d = grid.IndexToPhysical(i, j, k) - c;
                    double radial = Math.Sqrt(d.X * d.X + d.Y * d.Y);
                    // 2 voxels of 2 mm margin: inside 45 − 4 − 2.9 (diagonal) mm is kept, outside 45 mm is dropped
                    if (radial < 38 && Math.Abs(d.Z) < 50 - 4 - 1) Assert.That(mask[i, j, k], Is.EqualTo(1), $"{d}");
                    if (radial > 45 || Math.Abs(d.Z) > 50) Assert.That(mask[i, j, k], Is.EqualTo(0), $"{d}");
                }
        Assert.Throws<RegistrationException>(() => FieldOfViewMask.FromFillValue(new Volume<float>(grid)));
    }

    [TestCase(71)]
    public void CbctToMr_WithFieldOfViewMask_RecoversKnownTransform(int seed)
    {
        var truth = SyntheticPhantom.RandomTransform(seed, 15, 20);
        var cbct = SyntheticPhantom.RenderCbct(SyntheticPhantom.FixedGrid(), seed);
        var mr = SyntheticPhantom.Render(SyntheticPhantom.MovingGrid(truth.TransformPoint(Vec3.Zero)), SyntheticPhantom.MrTable, 15, seed + 1, truth.Inverse());
        var fov = FieldOfViewMask.FromFillValue(cbct, -1000);
        var r = new RigidRegistration(RegistrationPreset.CbctMr with { Initializer = InitializerKind.Moments }).Execute(cbct, mr, new RegistrationInputs { FixedMask = fov });
        var tre = RegistrationEvaluation.Tre(r.Transform, truth, EvalPoints.Value);
        TestContext.Out.WriteLine($"CBCT→MR seed {seed}: TRE median {tre.Median:F3} max {tre.Max:F3} mm, {r.WallTime.TotalSeconds:F2} s");
        Assert.That(tre.Median, Is.LessThan(0.5));
        Assert.That(tre.Max, Is.LessThan(1.5));
    }

    [Test]
    public void CtToCbct_WithMovingFieldOfViewMask_RecoversKnownTransform()
    {
        var truth = SyntheticPhantom.RandomTransform(81, 15, 20);
        var ct = SyntheticPhantom.Render(SyntheticPhantom.FixedGrid(), SyntheticPhantom.CtTable, 20, 81);
        var cbct = SyntheticPhantom.RenderCbct(SyntheticPhantom.MovingGrid(truth.TransformPoint(Vec3.Zero)), 82, truth.Inverse());
        var fov = FieldOfViewMask.FromFillValue(cbct, -1000);
        var r = new RigidRegistration(RegistrationPreset.CtCbct with { Initializer = InitializerKind.Moments }).Execute(ct, cbct, new RegistrationInputs { MovingMask = fov });
        var tre = RegistrationEvaluation.Tre(r.Transform, truth, EvalPoints.Value);
        TestContext.Out.WriteLine($"CT→CBCT: TRE median {tre.Median:F3} max {tre.Max:F3} mm, {r.WallTime.TotalSeconds:F2} s");
        Assert.That(tre.Median, Is.LessThan(0.5));
        Assert.That(tre.Max, Is.LessThan(1.5));
    }
}
