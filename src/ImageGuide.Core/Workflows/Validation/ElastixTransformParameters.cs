using System.Globalization;
using ImageGuide.Imaging;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// Reads elastix's <c>TransformParameters.0.txt</c> for an <c>EulerTransform</c> into a <see cref="RigidTransform"/>.
/// elastix, like ITK, maps fixed-image points to moving-image points: T(p) = R (p − c) + c + t with angles
/// (θx, θy, θz), translation t and <c>CenterOfRotationPoint</c> c, and R = Rz·Rx·Ry (ITK's default) or Rz·Ry·Rx when
/// <c>ComputeZYX</c> is "true".
/// </summary>
public static class ElastixTransformParameters
{
    /// <summary>Parses the parameter file text.</summary>
    /// <exception cref="ValidationException">Not an Euler transform, or a missing/malformed entry.</exception>
    public static RigidTransform Parse(string text, string source = "TransformParameters.0.txt")
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (!line.StartsWith('(') || !line.EndsWith(')')) continue;
            var tokens = line[1..^1].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0) continue;
            entries[tokens[0]] = tokens[1..].Select(t => t.Trim('"')).ToArray();
        }
        string transform = Get(entries, "Transform", 1, source)[0];
        if (transform != "EulerTransform")
            throw new ValidationException($"{source}: Transform is '{transform}'; only elastix's rigid EulerTransform is read.");
        if (entries.TryGetValue("InitialTransformParametersFileName", out var init) && init.Length > 0 && init[0] != "NoInitialTransform")
            throw new ValidationException($"{source}: chained initial transforms ({init[0]}) are not read; run elastix with a single rigid stage.");
        var p = Numbers(Get(entries, "TransformParameters", 6, source), "TransformParameters", source);
        var c = Numbers(Get(entries, "CenterOfRotationPoint", 3, source), "CenterOfRotationPoint", source);
        bool zyx = entries.TryGetValue("ComputeZYX", out var z) && z.Length > 0 && z[0] == "true";
        var r = Rotation(p[0], p[1], p[2], zyx);
        return new RigidTransform(Versor.FromMatrix(r), new Vec3(p[3], p[4], p[5]), new Vec3(c[0], c[1], c[2]));
    }

    /// <summary>ITK's Euler3DTransform matrix: Rz·Rx·Ry, or Rz·Ry·Rx when <paramref name="computeZyx"/>.</summary>
    public static Mat3 Rotation(double angleX, double angleY, double angleZ, bool computeZyx)
    {
        double cx = Math.Cos(angleX), sx = Math.Sin(angleX), cy = Math.Cos(angleY), sy = Math.Sin(angleY), cz = Math.Cos(angleZ), sz = Math.Sin(angleZ);
        var rx = new Mat3(1, 0, 0, 0, cx, -sx, 0, sx, cx);
        var ry = new Mat3(cy, 0, sy, 0, 1, 0, -sy, 0, cy);
        var rz = new Mat3(cz, -sz, 0, sz, cz, 0, 0, 0, 1);
        return computeZyx ? rz * ry * rx : rz * rx * ry;
    }

    private static string[] Get(Dictionary<string, string[]> entries, string key, int count, string source) =>
        entries.TryGetValue(key, out var v) && v.Length >= count ? v
            : throw new ValidationException($"{source}: entry ({key} …) with {count} value(s) is missing.");

    private static double[] Numbers(string[] values, string key, string source)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            if (!double.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]) || !double.IsFinite(result[i]))
                throw new ValidationException($"{source}: ({key} …) value {i + 1} '{values[i]}' is not a finite number.");
        return result;
    }
}
