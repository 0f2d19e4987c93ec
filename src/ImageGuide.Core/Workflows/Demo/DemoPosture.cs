using System.Globalization;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Phantoms;
using ImageGuide.Registration;
using ImageGuide.Registration.Spine;

namespace ImageGuide.Workflows.Demo;

/// <summary>
/// The demo's posture case: the phantom's diagnostic CT bent into another posture (<see cref="PostureChange"/>, 3–5°
/// per joint, as prone differs from supine) against the MR, fused globally and then per vertebra; per-level TRE
/// against the known per-level truth, global beside per-vertebra.
/// </summary>
internal static class DemoPosture
{
    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    public static List<(string, string)> Run(string outDir, PhantomCase phantom, Volume<float> mr, CancellationToken token)
    {
        var (posed, levels) = PhantomPostureCase.Pose(phantom, 3, 5, token);
        // the phantom's acquisitions share one patient frame (see the registration step), so patient coordinates start it
        var settings = RegistrationPreset.Get("ct-mr") with { Initializer = InitializerKind.None };
        var global = new RigidRegistration(settings).Execute(posed.Image, mr, cancellationToken: token);
        var result = new PerVertebraRegistration(new PerVertebraSettings()).Execute(posed.Image, mr, posed.Labels, levels, global, settings, null, token);
        string dir = Directory.CreateDirectory(Path.Combine(outDir, "per-vertebra")).FullName;
        foreach (var v in result.Vertebrae) TransformIO.Write(v.FixedToMoving, Path.Combine(dir, v.Level.Name + ".tfm"));
        DisplacementFieldFile.Write(result.Field, Path.Combine(dir, "field.nii.gz"), token);
        var facts = new List<(string, string)>
        {
            ("case", $"the diagnostic CT bent by {F(posed.LargestJointDeg)}° at most per joint (lordosis 3–5°, bend and twist ±2°), against MR T1; global fusion, then each of {levels.Count} levels"),
        };
        double worstGlobal = 0, worstLevel = 0;
        var g = posed.Labels.Geometry;
        // every level's voxels, in one pass
        var points = new Dictionary<byte, List<Vec3>>();
        foreach (var v in result.Vertebrae) points[v.Level.Label] = [];
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                    if (points.TryGetValue(posed.Labels.Data[g.LinearIndex(i, j, k)], out var list)) list.Add(g.IndexToPhysical(i, j, k));
        foreach (var v in result.Vertebrae)
        {
            var truth = PhantomPostureCase.Truth(phantom, posed, v.Level.Label, phantom.MrT1);
            var pts = points[v.Level.Label];
            double a = RegistrationEvaluation.Tre(result.Field, truth, pts).Median, b = RegistrationEvaluation.Tre(global.Transform, truth, pts).Median;
            worstLevel = Math.Max(worstLevel, a);
            worstGlobal = Math.Max(worstGlobal, b);
            facts.Add((v.Level.Name, $"median TRE per vertebra {F(a)} mm, single rigid {F(b)} mm; verdict {v.Verdict.StatusName}{(v.Fallback is null ? "" : $" — {v.Verdict.Reasons[0]}; replaced by {v.Fallback}")}"));
        }
        facts.Add(("worst level", $"per vertebra {F(worstLevel)} mm, single rigid {F(worstGlobal)} mm; levels in {F(result.WallTime.TotalSeconds)} s; per-vertebra/NAME.tfm and field.nii.gz (imageguide register --per-vertebra DIR --fixed-labels L)"));
        return facts;
    }
}
