using System.Globalization;
using System.Text;
using ImageGuide.Files;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// ITK transform text files (<c>#Insight Transform File V1.0</c>, usually <c>.tfm</c> or <c>.txt</c>), in ITK's LPS
/// physical space and ITK's fixed → moving direction, so no conversion is applied.
/// Read: <c>VersorRigid3DTransform</c>, <c>Euler3DTransform</c> (R = Rz·Rx·Ry, or Rz·Ry·Rx when the fourth fixed
/// parameter ComputeZYX is 1), <c>QuaternionRigidTransform</c>, <c>Similarity3DTransform</c> with unit scale,
/// <c>TranslationTransform</c>, <c>IdentityTransform</c>, and <c>AffineTransform</c> / <c>MatrixOffsetTransformBase</c>
/// / <c>Rigid3DTransform</c> when their matrix is a rotation (else <see cref="GeometryException"/>), each in double or
/// float. A composite file holding one such transform is accepted. Write: <c>VersorRigid3DTransform_double_3_3</c>.
/// </summary>
public static class ItkTransformFile
{
    /// <summary>Tolerance on the orthonormality of an affine matrix accepted as a rotation.</summary>
    public const double RigidTolerance = 1e-4;

    private const string Magic = "#Insight Transform File V1.0";

    /// <summary>Reads a transform file.</summary>
    /// <exception cref="InvalidImageDataException">Not a transform file, or malformed parameters.</exception>
    /// <exception cref="UnsupportedFormatException">A transform type that is not rigid by construction nor affine, or several transforms.</exception>
    /// <exception cref="GeometryException">An affine transform that is not rigid.</exception>
    public static RigidTransform Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(InputFile.ReadAllText(path), path);
    }

    /// <summary>Parses the text of a transform file; <paramref name="source"/> names it in messages.</summary>
    public static RigidTransform Parse(string text, string source = "transform text")
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        if (lines.Length == 0 || !lines[0].Trim().StartsWith(Magic, StringComparison.Ordinal))
            throw new InvalidImageDataException($"{source}: the first line is not '{Magic}'; this is not an ITK transform file.");
        var blocks = new List<(string Type, string? Parameters, string? Fixed)>();
        foreach (var raw in lines.Skip(1))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new InvalidImageDataException($"{source}: unexpected line '{line}'.");
            string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "Transform":
                    blocks.Add((value, null, null));
                    break;
                case "Parameters" when blocks.Count > 0:
                    blocks[^1] = blocks[^1] with { Parameters = value };
                    break;
                case "FixedParameters" when blocks.Count > 0:
                    blocks[^1] = blocks[^1] with { Fixed = value };
                    break;
                default:
                    throw new InvalidImageDataException($"{source}: unexpected line '{line}'.");
            }
        }
        blocks.RemoveAll(b => b.Type.StartsWith("CompositeTransform", StringComparison.Ordinal));
        if (blocks.Count != 1)
            throw new UnsupportedFormatException($"{source}: {blocks.Count} transforms in the file; exactly one rigid transform is read. Compose them into one first.");
        var (type, p, f) = blocks[0];
        return Build(type, p is null ? [] : HeaderValues.Doubles(p, source, "Parameters"), f is null ? [] : HeaderValues.Doubles(f, source, "FixedParameters"), source);
    }

    private static RigidTransform Build(string type, double[] p, double[] f, string source)
    {
        string name = type.Split('_')[0];
        bool is3d = type.EndsWith("_3_3", StringComparison.Ordinal) || type.EndsWith("_3", StringComparison.Ordinal);
        if (!is3d) throw new UnsupportedFormatException($"{source}: transform '{type}' is not 3-D.");
        void Need(int parameters, params int[] fixedCounts)
        {
            if (p.Length != parameters)
                throw new InvalidImageDataException($"{source}: {type} needs {parameters} Parameters, found {p.Length}.");
            if (!fixedCounts.Contains(f.Length))
                throw new InvalidImageDataException($"{source}: {type} needs {string.Join(" or ", fixedCounts)} FixedParameters, found {f.Length}.");
        }
        Vec3 Center() => f.Length >= 3 ? new Vec3(f[0], f[1], f[2]) : Vec3.Zero;
        Vec3 T(int at) => new(p[at], p[at + 1], p[at + 2]);

        switch (name)
        {
            case "VersorRigid3DTransform":
                Need(6, 3, 0);
                try { return new RigidTransform(Versor.FromVectorPart(T(0)), T(3), Center()); }
                catch (GeometryException e) { throw new GeometryException($"{source}: {e.Message}"); }
            case "QuaternionRigidTransform":
                Need(7, 3, 0);
                return new RigidTransform(new Versor(p[0], p[1], p[2], p[3]), T(4), Center());
            case "Similarity3DTransform":
                Need(7, 3, 0);
                if (Math.Abs(p[6] - 1) > RigidTolerance)
                    throw new GeometryException(string.Create(CultureInfo.InvariantCulture, $"{source}: {type} has scale {p[6]:G9}; a scaled transform is not rigid."));
                return new RigidTransform(Versor.FromVectorPart(T(0)), T(3), Center());
            case "Euler3DTransform":
                Need(6, 3, 4, 0);
                return FromMatrix(EulerMatrix(p[0], p[1], p[2], f.Length == 4 && f[3] != 0), T(3), Center(), type, source);
            case "TranslationTransform":
                Need(3, 0);
                return RigidTransform.FromTranslation(T(0));
            case "IdentityTransform":
                return RigidTransform.Identity;
            case "AffineTransform" or "MatrixOffsetTransformBase" or "Rigid3DTransform" or "ScalableAffineTransform" when p.Length == 12:
                Need(12, 3, 0);
                return FromMatrix(Mat3.FromRowMajor(p.AsSpan(0, 9)), T(9), Center(), type, source);
            case "AffineTransform" or "MatrixOffsetTransformBase" or "Rigid3DTransform" or "ScalableAffineTransform":
                throw new InvalidImageDataException($"{source}: {type} needs 12 Parameters (9 matrix + 3 translation), found {p.Length}.");
            default:
                throw new UnsupportedFormatException($"{source}: transform type '{type}' is not supported; rigid (VersorRigid3D, Euler3D, QuaternionRigid), translation and rigid affine transforms are.");
        }
    }

    /// <summary>ITK's <c>T(p) = M·(p − c) + c + t</c> with M validated as a rotation.</summary>
    private static RigidTransform FromMatrix(Mat3 m, Vec3 translation, Vec3 center, string type, string source)
    {
        try
        {
            return RigidTransform.FromRotationAndOffset(m, center + translation - m * center, center, RigidTolerance);
        }
        catch (GeometryException e)
        {
            throw new GeometryException($"{source}: {type} is not rigid — {e.Message} Register with a rigid transform or remove the scaling first.");
        }
    }

    /// <summary>
    /// ITK <c>Euler3DTransform</c> rotation: R = Rz·Rx·Ry (the default, ComputeZYX false) or Rz·Ry·Rx (ComputeZYX true),
    /// angles in radians, right-handed.
    /// </summary>
    public static Mat3 EulerMatrix(double angleX, double angleY, double angleZ, bool computeZyx = false)
    {
        double cx = Math.Cos(angleX), sx = Math.Sin(angleX), cy = Math.Cos(angleY), sy = Math.Sin(angleY), cz = Math.Cos(angleZ), sz = Math.Sin(angleZ);
        var rx = new Mat3(1, 0, 0, 0, cx, -sx, 0, sx, cx);
        var ry = new Mat3(cy, 0, sy, 0, 1, 0, -sy, 0, cy);
        var rz = new Mat3(cz, -sz, 0, sz, cz, 0, 0, 0, 1);
        return computeZyx ? rz * ry * rx : rz * rx * ry;
    }

    /// <summary>The file text of a transform as <c>VersorRigid3DTransform_double_3_3</c>.</summary>
    public static string Format(RigidTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        var q = transform.Rotation;
        if (q.W < 0) q = new Versor(-q.X, -q.Y, -q.Z, -q.W);
        var t = transform.Translation;
        var c = transform.Center;
        var sb = new StringBuilder();
        sb.Append(Magic).Append('\n');
        sb.Append("#Transform 0\n");
        sb.Append("Transform: VersorRigid3DTransform_double_3_3\n");
        sb.Append("Parameters: ").Append(HeaderValues.Join(q.X, q.Y, q.Z, t.X, t.Y, t.Z)).Append('\n');
        sb.Append("FixedParameters: ").Append(HeaderValues.Join(c.X, c.Y, c.Z)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes a transform as <c>VersorRigid3DTransform_double_3_3</c> (temporary file, then move).</summary>
    public static void Write(RigidTransform transform, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Encoding.ASCII.GetBytes(Format(transform));
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}
