using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>An image whose spine was bent into another posture, with the truth.</summary>
/// <param name="Image">The posed image, on the original grid.</param>
/// <param name="Labels">The vertebra labels moved with it (nearest neighbour).</param>
/// <param name="Posture">Per level: original → posed rigid motion (exact inside the vertebra).</param>
/// <param name="LargestJointDeg">The largest joint rotation drawn, degrees.</param>
public sealed record PosedImage(Volume<float> Image, Volume<byte> Labels, IReadOnlyDictionary<byte, RigidTransform> Posture, double LargestJointDeg);

/// <summary>
/// Bends a spine into another posture, the way a supine MR and a prone CT differ: a chain of joint rotations —
/// lordosis change about the left–right (LPS x) axis of 2–5° (settable)
/// with one sign for all joints, plus up to ±2° of lateral bend and axial twist — each about the midpoint between two
/// adjacent vertebral centroids, the middle level held still; every vertebra moves rigidly with its chain and the
/// tissue between follows their inverse-distance blend (<see cref="PiecewiseRigidField"/>). Used by the demo's posture
/// case and by the tests that move real spines by known per-level motions.
/// </summary>
public static class PostureChange
{
    /// <summary>Poses <paramref name="image"/> (and <paramref name="labels"/>, its vertebra labels on its grid).</summary>
    /// <param name="image">The image to bend.</param>
    /// <param name="labels">Its vertebra labels, on its grid.</param>
    /// <param name="levels">The levels, cranial first (at least two).</param>
    /// <param name="seed">Seeds the joint angles.</param>
    /// <param name="minJointDeg">Smallest lordosis change per joint, degrees.</param>
    /// <param name="maxJointDeg">Largest lordosis change per joint, degrees.</param>
    /// <param name="cancellationToken">Cancels between slices.</param>
    public static PosedImage Apply(Volume<float> image, Volume<byte> labels, IReadOnlyList<VertebraLevel> levels, int seed,
        double minJointDeg = 2, double maxJointDeg = 5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Count < 2) throw new ArgumentException("A posture change needs at least two levels.", nameof(levels));
        if (!labels.Geometry.ApproximatelyEquals(image.Geometry, 1e-4)) throw new ArgumentException("The labels must lie on the image's grid.", nameof(labels));
        var g = image.Geometry;
        var centroids = Centroids(labels, levels);
        var rng = new Random(seed);
        double sign = rng.Next(2) == 0 ? -1 : 1;
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

        // the posture field P (original → posed); the posed image is image ∘ P⁻¹ (fixed-point inversion, P is small)
        var field = PiecewiseRigidField.Build(labels, [.. levels.Select((l, i) => new RigidPiece(l.Label, posture[i]))], g, 3, cancellationToken);
        var posed = new Volume<float>(g, image.Metadata);
        var posedLabels = new Volume<byte>(g, labels.Metadata);
        float low = (float)VolumeStatistics.Percentiles(image, [0.5])[0];
        Parallel.For(0, g.Nz, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    var y = g.IndexToPhysical(i, j, k);
                    var x = y;
                    for (int it = 0; it < 30; it++) x = y - field.Displacement(x);
                    var c = g.PhysicalToIndex(x);
                    long at = g.LinearIndex(i, j, k);
                    posed.Data[at] = (float)Interpolator.SampleLinear(image, c.X, c.Y, c.Z, low);
                    posedLabels.Data[at] = (byte)Interpolator.SampleNearest(labels, c.X, c.Y, c.Z, 0);
                }
        });
        var truth = new Dictionary<byte, RigidTransform>();
        for (int i = 0; i < n; i++) truth[levels[i].Label] = posture[i];
        return new PosedImage(posed, posedLabels, truth, largest);
    }

    private static Vec3[] Centroids(Volume<byte> labels, IReadOnlyList<VertebraLevel> levels)
    {
        var regions = LabelRegions.Of(labels);
        var result = new Vec3[levels.Count];
        for (int i = 0; i < levels.Count; i++)
        {
            var r = regions[levels[i].Label];
            if (r.Count == 0) throw new ArgumentException($"Level {levels[i].Name} (label {levels[i].Label}) does not occur in the label map.", nameof(levels));
            result[i] = r.Centroid;
        }
        return result;
    }
}
