using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// The phantom's diagnostic CT bent into another posture (<see cref="PostureChange"/>: as a prone procedural CT differs
/// from the supine MR), with the truth per level: written by <c>imageguide phantom --posture</c> into the case's
/// <c>posture/</c> folder — <c>ct-posed.nii.gz</c>, its vertebra labels <c>vertebrae.nii.gz</c> + <c>.json</c>
/// (TotalSegmentator numbering), <c>landmarks.csv</c> (each level's bone landmarks where the posture put them, named as
/// in every frame's landmarks.csv, so <c>imageguide tre</c> pairs them with the MR's), and per level
/// <c>truth/NAME-to-ACQ.tfm</c> (posed CT → MR T1 / T2, fixed → moving).
/// </summary>
public static class PhantomPostureCase
{
    /// <summary>Writes the posture case of <paramref name="phantom"/> into <paramref name="folder"/> (created); returns the posture's largest joint rotation, degrees.</summary>
    /// <param name="phantom">The generated case.</param>
    /// <param name="folder">The case's posture folder (new or empty).</param>
    /// <param name="minJointDeg">Smallest lordosis change per joint, degrees.</param>
    /// <param name="maxJointDeg">Largest lordosis change per joint, degrees.</param>
    /// <param name="cancellationToken">Cancels between slices.</param>
    public static double Write(PhantomCase phantom, string folder, double minJointDeg = 3, double maxJointDeg = 5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var frame = phantom.DiagnosticCt;
        var (posed, levels) = Pose(phantom, minJointDeg, maxJointDeg, cancellationToken);
        Directory.CreateDirectory(Path.Combine(folder, "truth"));
        var hu = posed.Image.Convert(v => (short)Math.Clamp(Math.Round(v), short.MinValue, short.MaxValue));
        NiftiFormat.Write(hu, Path.Combine(folder, "ct-posed.nii.gz"), cancellationToken: cancellationToken);
        new LabelMap(posed.Labels, new LabelTable(levels.Select(l => new LabelDefinition(l.Label, l.Name, LabelRole.Bone)))).Write(Path.Combine(folder, "vertebrae.nii.gz"), cancellationToken);
        // each level's bone landmarks (body corners, pedicle tips) moved with it
        var moved = new List<Landmark>();
        foreach (var l in frame.Landmarks)
        {
            if (l.Kind is not (LandmarkKind.VertebralBodyCorner or LandmarkKind.PedicleTip)) continue;
            var level = levels.FirstOrDefault(v => l.Name.StartsWith(v.Name + " ", StringComparison.Ordinal));
            if (level.Name is null) continue;
            moved.Add(new Landmark(l.Name, posed.Posture[level.Label].TransformPoint(l.Position)));
        }
        LandmarkFile.WriteCsv(moved, Path.Combine(folder, "landmarks.csv"));
        foreach (var target in new[] { phantom.MrT1, phantom.MrT2 })
            foreach (var level in levels)
                ItkTransformFile.Write(Truth(phantom, posed, level.Label, target), Path.Combine(folder, "truth", $"{level.Name}-to-{target.Acquisition}.tfm"));
        return posed.LargestJointDeg;
    }

    /// <summary>The diagnostic CT bent (seeded by the phantom's seed) and its levels, cranial first.</summary>
    public static (PosedImage Posed, IReadOnlyList<VertebraLevel> Levels) Pose(PhantomCase phantom, double minJointDeg = 3, double maxJointDeg = 5,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        var frame = phantom.DiagnosticCt;
        var (labels, levels) = PhantomVertebrae.Of(phantom, frame);
        return (PostureChange.Apply(frame.Image.Convert(v => (float)v), labels, levels, (int)(phantom.Options.Seed % int.MaxValue),
            minJointDeg, maxJointDeg, cancellationToken), levels);
    }

    /// <summary>The true motion of one level from the posed CT to <paramref name="target"/> (fixed → moving): undo the posture, then the phantom's CT → target motion.</summary>
    public static RigidTransform Truth(PhantomCase phantom, PosedImage posed, byte label, PhantomFrame target)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(posed);
        return RigidTransform.Compose(posed.Posture[label].Inverse(), PhantomCase.TransformBetween(phantom.DiagnosticCt, target));
    }
}
