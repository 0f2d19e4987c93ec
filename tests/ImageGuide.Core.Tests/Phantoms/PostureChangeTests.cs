using ImageGuide.Phantoms;
using ImageGuide.Registration.Spine;

namespace ImageGuide.Tests.Phantoms;

/// <summary>The phantom's vertebra labels and the posture change that bends a spine by known per-level motions.</summary>
[TestFixture]
public class PostureChangeTests
{
    [Test]
    public void PhantomVertebrae_LabelEveryBoneVoxel_OneLevelEach_NamedT11ToL3()
    {
        var phantom = PhantomFixture.Case;
        var frame = phantom.DiagnosticCt;
        var (labels, levels) = PhantomVertebrae.Of(phantom, frame);
        Assert.That(levels.Select(l => l.Name), Is.EqualTo(new[] { "T11", "T12", "L1", "L2", "L3" }));
        Assert.That(levels.Select(l => (int)l.Label), Is.EqualTo(new[] { 33, 32, 31, 30, 29 }), "TotalSegmentator numbering");
        var g = frame.Geometry;
        var centres = phantom.Anatomy.Levels.Select(l => frame.AnatomyToPatient.TransformPoint(l.BodyCenter)).ToArray();
        for (int li = 0; li < levels.Count; li++)
        {
            // each level's labelled voxels surround its own body centre: their centroid lies within half a body height of it
            var sum = Vec3.Zero; long count = 0;
            for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
                if (labels.Data[g.LinearIndex(i, j, k)] == levels[li].Label) { sum += g.IndexToPhysical(i, j, k); count++; }
            Assert.That(count, Is.GreaterThan(100), levels[li].Name);
            var axis = (centres[Math.Max(0, li - 1)] - centres[Math.Min(levels.Count - 1, li + 1)]).Normalized();
            Assert.That(Math.Abs(Vec3.Dot(sum / count - centres[li], axis)), Is.LessThan(phantom.Anatomy.Levels[li].HalfHeight), levels[li].Name);
        }
        // bone and only bone is labelled
        for (long n = 0; n < labels.Data.LongLength; n++)
        {
            bool bone = frame.Labels.Data[n] is SpineLabels.CorticalBone or SpineLabels.CancellousBone;
            Assert.That(labels.Data[n] != 0, Is.EqualTo(bone), $"voxel {n}");
        }
    }

    [Test]
    public void PostureChange_MovesEachVertebraByItsOwnKnownMotion()
    {
        var phantom = PhantomFixture.Case;
        var frame = phantom.DiagnosticCt;
        var (labels, levels) = PhantomVertebrae.Of(phantom, frame);
        var image = frame.Image.Convert(v => (float)v);
        var posed = PostureChange.Apply(image, labels, levels, 4, 3, 5);
        Assert.That(posed.LargestJointDeg, Is.InRange(3, 8));
        // the levels really move differently: the two ends differ by degrees
        var ends = (posed.Posture[levels[0].Label].Rotation.Conjugate() * posed.Posture[levels[^1].Label].Rotation).Normalized().AngleRad * 180 / Math.PI;
        Assert.That(ends, Is.GreaterThan(6));
        // consistency: a voxel deep inside vertebra i (its 3×3×3 neighbourhood all level i) appears at P_i(p) with its label and value
        var g = frame.Geometry;
        int checkedVoxels = 0;
        for (int k = 2; k < g.Nz - 2; k += 2)
            for (int j = 2; j < g.Ny - 2; j += 2)
                for (int i = 2; i < g.Nx - 2; i += 2)
                {
                    byte v = labels.Data[g.LinearIndex(i, j, k)];
                    if (v == 0 || !PhantomFixture.Uniform(labels.Data, g, i, j, k)) continue;
                    var q = g.PhysicalToIndex(posed.Posture[v].TransformPoint(g.IndexToPhysical(i, j, k)));
                    Assert.That(Interpolator.SampleNearest(posed.Labels, q.X, q.Y, q.Z, -1), Is.EqualTo(v), $"label at voxel ({i}, {j}, {k})");
                    checkedVoxels++;
                }
        Assert.That(checkedVoxels, Is.GreaterThan(200));
    }
}
