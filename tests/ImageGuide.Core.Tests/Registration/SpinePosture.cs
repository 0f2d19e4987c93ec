using ImageGuide.Imaging;
using ImageGuide.Registration.Spine;

namespace ImageGuide.Tests.Registration;

/// <summary>
/// Test generator of posture changes on a real spine: every vertebra of a fixed image's label map moves by its own
/// rigid motion — a chain of joint rotations (lordosis change about the left–right axis, lateral bend, axial twist) about
/// the midpoints between adjacent vertebrae, the middle level held still — and the tissue between follows the blend of
/// the neighbouring motions. Then the whole body moves rigidly into another scanner's frame (<see cref="KnownMotion"/>:
/// MR-like contrast, other grid, noise). The truth of level i, fixed → moving, is Global ∘ Posture_i.
/// </summary>
internal static class SpinePosture
{
    /// <summary>A posture case: the moving image and the true fixed → moving motion of every level.</summary>
    public sealed record Case(Volume<float> Moving, IReadOnlyDictionary<byte, RigidTransform> Truth, RigidTransform Global, double LargestJointDeg);

    /// <param name="fixedImage">The real image (fixed).</param>
    /// <param name="labels">Its vertebra labels (on its grid).</param>
    /// <param name="levels">The levels, cranial first.</param>
    /// <param name="seed">Seeds the joint angles, the global motion and the noise.</param>
    /// <param name="contrast">Intensity remap of the moving copy.</param>
    /// <param name="minJointDeg">Smallest lordosis change per joint, degrees (sign shared by all joints, as a posture change).</param>
    /// <param name="maxJointDeg">Largest lordosis change per joint, degrees.</param>
    public static Case Make(Volume<float> fixedImage, Volume<byte> labels, IReadOnlyList<VertebraLevel> levels, int seed, Func<float, float> contrast,
        double minJointDeg = 2, double maxJointDeg = 5)
    {
        var rng = new Random(seed);
        var g = fixedImage.Geometry;
        var centroids = levels.Select(l => Centroid(labels, l.Label)).ToArray();
        double sign = rng.Next(2) == 0 ? -1 : 1;
        // joint j sits between level j and j + 1; the motion of level i is the chain of joints from the middle level to it
        int n = levels.Count, middle = n / 2;
        var joints = new RigidTransform[n - 1];
        double largest = 0;
        for (int j = 0; j < n - 1; j++)
        {
            var pivot = (centroids[j] + centroids[j + 1]) / 2;
            double lordosis = sign * (minJointDeg + rng.NextDouble() * (maxJointDeg - minJointDeg));
            double bend = (2 * rng.NextDouble() - 1) * 2, twist = (2 * rng.NextDouble() - 1) * 2;
            var q = Versor.FromAxisAngle(new Vec3(1, 0, 0), lordosis * Math.PI / 180) * Versor.FromAxisAngle(new Vec3(0, 1, 0), bend * Math.PI / 180)
                * Versor.FromAxisAngle(new Vec3(0, 0, 1), twist * Math.PI / 180);
            joints[j] = new RigidTransform(q.Normalized(), Vec3.Zero, pivot);
            largest = Math.Max(largest, joints[j].Rotation.AngleRad * 180 / Math.PI);
        }
        var posture = new RigidTransform[n];
        posture[middle] = RigidTransform.Identity;
        // cranial of the middle: level i turns about joint i, then rides along with level i + 1 (and caudally alike)
        for (int i = middle - 1; i >= 0; i--) posture[i] = RigidTransform.Compose(joints[i], posture[i + 1]);
        for (int i = middle + 1; i < n; i++) posture[i] = RigidTransform.Compose(joints[i - 1].Inverse(), posture[i - 1]);

        // the posture field P (fixed → posed) on the fixed grid; the posed image is F ∘ P⁻¹ (fixed-point inversion)
        var field = PiecewiseRigidField.Build(labels, [.. levels.Select((l, i) => new RigidPiece(l.Label, posture[i]))], g);
        var posed = new Volume<float>(g, fixedImage.Metadata);
        float low = (float)VolumeStatistics.Percentiles(fixedImage, [0.5])[0];
        Parallel.For(0, g.Nz, k =>
        {
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    var y = g.IndexToPhysical(i, j, k);
                    var x = y;
                    for (int it = 0; it < 30; it++) x = y - field.Displacement(x);
                    var c = g.PhysicalToIndex(x);
                    posed.Data[g.LinearIndex(i, j, k)] = (float)Interpolator.SampleLinear(fixedImage, c.X, c.Y, c.Z, low);
                }
        });
        var global = KnownMotion.RandomTruth(seed, 20, 60, g.Center);
        var moving = KnownMotion.MovedCopy(posed, global, seed, contrast, new Vec3(1.15, 1.15, 0.8));
        var truth = new Dictionary<byte, RigidTransform>();
        for (int i = 0; i < n; i++) truth[levels[i].Label] = RigidTransform.Compose(posture[i], global);
        return new Case(moving, truth, global, largest);
    }

    /// <summary>Centres of the voxels of one label, LPS mm.</summary>
    public static Vec3[] Points(Volume<byte> labels, byte label, int stride = 1)
    {
        var g = labels.Geometry;
        var pts = new List<Vec3>();
        long n = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++, n++)
                    if (labels.Data[n] == label && n % stride == 0) pts.Add(g.IndexToPhysical(i, j, k));
        return [.. pts];
    }

    public static Vec3 Centroid(Volume<byte> labels, byte label)
    {
        var pts = Points(labels, label);
        var c = Vec3.Zero;
        foreach (var p in pts) c += p;
        return c / Math.Max(1, pts.Length);
    }
}
