using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// One label per vertebra of the spine phantom (T11 … L3), in TotalSegmentator numbering (33 T11, 32 T12, 31 L1,
/// 30 L2, 29 L3): every bone voxel of a frame (cortical or cancellous, tumour-free) goes to the level whose body centre
/// is nearest along the spine's local axis, so pedicles, laminae and processes go with their body.
/// </summary>
public static class PhantomVertebrae
{
    /// <summary>The vertebra labels of <paramref name="frame"/> (on its grid) and the levels, cranial first.</summary>
    public static (Volume<byte> Labels, IReadOnlyList<VertebraLevel> Levels) Of(PhantomCase phantom, PhantomFrame frame)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(frame);
        var levels = phantom.Anatomy.Levels;
        int n = levels.Count;
        var centres = new Vec3[n];
        for (int i = 0; i < n; i++) centres[i] = frame.AnatomyToPatient.TransformPoint(levels[i].BodyCenter);
        // the local axis at each level: from the next level's centre to the previous one's (one-sided at the ends)
        var axes = new Vec3[n];
        for (int i = 0; i < n; i++) axes[i] = (centres[Math.Max(0, i - 1)] - centres[Math.Min(n - 1, i + 1)]).Normalized();
        var result = new VertebraLevel[n];
        var values = new byte[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = VertebraLevel.TotalSegmentatorLabel(levels[i].Name) ?? throw new InvalidOperationException($"{levels[i].Name} is not a level TotalSegmentator numbers.");
            result[i] = new VertebraLevel(values[i], levels[i].Name);
        }
        var g = frame.Geometry;
        var tissue = frame.Labels.Data;
        var labels = new Volume<byte>(g);
        Parallel.For(0, g.Nz, k =>
        {
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    long at = g.LinearIndex(i, j, k);
                    byte t = tissue[at];
                    if (t != SpineLabels.CorticalBone && t != SpineLabels.CancellousBone) continue;
                    var p = g.IndexToPhysical(i, j, k);
                    int best = 0;
                    double bestD = double.MaxValue;
                    for (int l = 0; l < n; l++)
                    {
                        double d = Math.Abs(Vec3.Dot(p - centres[l], axes[l]));
                        if (d < bestD) { bestD = d; best = l; }
                    }
                    labels.Data[at] = values[best];
                }
        });
        return (labels, result);
    }
}
