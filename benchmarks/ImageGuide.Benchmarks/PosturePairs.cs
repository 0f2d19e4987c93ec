using System.Globalization;
using System.Text;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Registration.Spine;

namespace ImageGuide.Benchmarks;

/// <summary>
/// <c>posture-pair --ct CT --labels L --seed N --out DIR</c>: one known-motion spine posture pair for
/// benchmarks/compare/per-vertebra.sh (ImageGuide's per-vertebra fusion beside elastix B-spline + rigidity penalty).
/// The real CT is the fixed image; its lumbar spine (TotalSegmentator labels 26 S1 … 32 T12) is bent by
/// <see cref="PostureChange"/> (joint rotations of 2–5°), and the posed body is moved rigidly into another scanner's
/// frame with an MR-like contrast (<see cref="KnownMotion"/>, the recipe of the tests' posture pairs). The truth of level i, fixed → moving (ITK convention: moving point =
/// T(fixed point), LPS mm), is Compose(posture_i, global).
/// Writes into DIR: fixed.mha, moving.mha, labels.nii.gz (the fixed labels of the seven levels only), rigidity.mha
/// (float: 1 inside the seven vertebrae, 0 elsewhere, fixed grid), NAME-truth.tfm and points-NAME.txt per level
/// (up to 500 voxel centres of the level, LPS mm, in elastix's point-file format), and levels.tsv (label, name, points).
/// </summary>
internal static class PosturePairs
{
    private static readonly VertebraLevel[] Lumbar =
        [.. Enumerable.Range(26, 7).Select(l => new VertebraLevel((byte)l, VertebraLevel.TotalSegmentatorName(l)!)).Reverse()];

    private const int MaxPoints = 500;

    /// <summary>Parses the options, writes the pair; returns the exit code (0, or 2 for a usage error).</summary>
    public static int Run(string[] args)
    {
        string? ct = null, labelsPath = null, outDir = null;
        int seed = 1;
        for (int a = 0; a < args.Length; a++)
        {
            string Next() => a + 1 < args.Length ? args[++a] : throw new ArgumentException($"{args[a]} needs a value");
            switch (args[a])
            {
                case "--ct": ct = Next(); break;
                case "--labels": labelsPath = Next(); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--out": outDir = Next(); break;
                default:
                    Console.Error.WriteLine($"posture-pair: unknown option {args[a]}");
                    return 2;
            }
        }
        if (ct is null || labelsPath is null || outDir is null)
        {
            Console.Error.WriteLine("usage: posture-pair --ct CT --labels LABELS --seed N --out DIR");
            return 2;
        }
        Directory.CreateDirectory(outDir);

        var image = VolumeReader.Read(ct).Volume;
        var labels = VolumeReader.Read<byte>(labelsPath);
        var posed = PostureChange.Apply(image, labels, Lumbar, seed, 2, 5);
        var global = KnownMotion.RandomTruth(seed, 20, 60, image.Geometry.Center);
        var moving = KnownMotion.MovedCopy(posed.Image, global, seed, KnownMotion.CtToMr, new Vec3(1.15, 1.15, 0.8));

        var kept = new Volume<byte>(labels.Geometry, labels.Metadata);
        var rigidity = new Volume<float>(labels.Geometry);
        var wanted = new HashSet<byte>(Lumbar.Select(l => l.Label));
        for (long n = 0; n < labels.Data.LongLength; n++)
            if (wanted.Contains(labels.Data[n])) { kept.Data[n] = labels.Data[n]; rigidity.Data[n] = 1; }

        VolumeIO.Write(image, Path.Combine(outDir, "fixed.mha"));
        VolumeIO.Write(moving, Path.Combine(outDir, "moving.mha"));
        VolumeIO.Write(kept, Path.Combine(outDir, "labels.nii.gz"));
        VolumeIO.Write(rigidity, Path.Combine(outDir, "rigidity.mha"));
        var table = new StringBuilder();
        foreach (var l in Lumbar)
        {
            TransformIO.Write(RigidTransform.Compose(posed.Posture[l.Label], global), Path.Combine(outDir, l.Name + "-truth.tfm"));
            var pts = Points(labels, l.Label);
            var sb = new StringBuilder().Append("point\n").Append(pts.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach (var p in pts) sb.Append(FormattableString.Invariant($"{p.X:R} {p.Y:R} {p.Z:R}\n"));
            File.WriteAllText(Path.Combine(outDir, $"points-{l.Name}.txt"), sb.ToString());
            table.Append(FormattableString.Invariant($"{l.Label}\t{l.Name}\t{pts.Length}\n"));
        }
        File.WriteAllText(Path.Combine(outDir, "levels.tsv"), table.ToString());
        Console.Error.WriteLine(FormattableString.Invariant(
            $"posture pair seed {seed}: largest joint {posed.LargestJointDeg:0.0}°, global {global.Rotation.AngleRad * 180 / Math.PI:0.0}° / {global.Translation.Length:0.0} mm → {outDir}"));
        return 0;
    }

    /// <summary>Up to <see cref="MaxPoints"/> voxel centres of one label (every k-th in index order), LPS mm.</summary>
    private static Vec3[] Points(Volume<byte> labels, byte label)
    {
        var g = labels.Geometry;
        long count = labels.Data.LongCount(v => v == label);
        long stride = Math.Max(1, (count + MaxPoints - 1) / MaxPoints);
        var pts = new List<Vec3>();
        long seen = 0, n = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++, n++)
                    if (labels.Data[n] == label && seen++ % stride == 0) pts.Add(g.IndexToPhysical(i, j, k));
        return [.. pts];
    }
}
