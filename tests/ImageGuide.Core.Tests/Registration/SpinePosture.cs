using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Registration.Spine;

namespace ImageGuide.Tests.Registration;

/// <summary>
/// Test generator of posture changes on a real spine: every vertebra of a fixed image's label map moves by its own
/// rigid motion (<see cref="PostureChange"/>: a chain of joint rotations about the midpoints between adjacent
/// vertebrae, the tissue between following), then the whole body moves rigidly into another scanner's frame
/// (<see cref="KnownMotion"/>: MR-like contrast, other grid, noise). The truth of level i, fixed → moving, is
/// Global ∘ Posture_i.
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
        var posed = PostureChange.Apply(fixedImage, labels, levels, seed, minJointDeg, maxJointDeg);
        var global = KnownMotion.RandomTruth(seed, 20, 60, fixedImage.Geometry.Center);
        var moving = KnownMotion.MovedCopy(posed.Image, global, seed, contrast, new Vec3(1.15, 1.15, 0.8));
        var truth = new Dictionary<byte, RigidTransform>();
        foreach (var l in levels) truth[l.Label] = RigidTransform.Compose(posed.Posture[l.Label], global);
        return new Case(moving, truth, global, posed.LargestJointDeg);
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
}
