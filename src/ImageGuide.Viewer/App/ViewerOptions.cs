using System.Globalization;
using ImageGuide.Imaging;
using ImageGuide.Visualization;

namespace ImageGuide.Viewer.App;

/// <summary>Command-line options of the viewer.</summary>
public sealed record ViewerOptions
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        Usage: ImageGuide.Viewer PATH [--overlay PATH [--transform T.tfm]] [--labels L [--label-table T.json]] [--plan plan.json]
                                 [--snapshot out.png] [--size WxH] [--benchmark-frames N]
                                 [--fusion alpha|checkerboard|difference] [--opacity 0..1] [--at x,y,z]
                                 [--azimuth DEG] [--elevation DEG]
               ImageGuide.Viewer --synthetic NXxNYxNZ[@SX,SY,SZ] [...]   (built-in fused phantom, no files)
        PATH: DICOM folder or file, .nii/.nii.gz/.mha/.mhd/.nrrd. --transform maps base (fixed) to overlay (moving) points: a rigid .tfm/.json, or a displacement field (.nii.gz/.mha, e.g. a per-vertebra fusion's field.nii.gz). --snapshot renders headless (EGL surfaceless) and exits.
        Window keys: F fusion mode, [ ] opacity, O overlay, L labels, A annotations, R reset, Esc quit.
        Mouse: scroll = slice (MPR) / zoom (3-D); left drag = window/level (MPR) / rotate (3-D); right click = move cursor.
        """;

    /// <summary>Base volume path (null with <see cref="Synthetic"/>).</summary>
    public string? Path { get; init; }
    /// <summary>Overlay volume path.</summary>
    public string? Overlay { get; init; }
    /// <summary>Fixed → moving transform file of the overlay.</summary>
    public string? Transform { get; init; }
    /// <summary>Label map path.</summary>
    public string? Labels { get; init; }
    /// <summary>Label table JSON (names, roles, colours); LABELS.json beside the label map when null.</summary>
    public string? LabelTable { get; init; }
    /// <summary>Plan JSON path.</summary>
    public string? Plan { get; init; }
    /// <summary>PNG to write headless, then exit.</summary>
    public string? Snapshot { get; init; }
    /// <summary>Synthetic scene grid size instead of files.</summary>
    public (int Nx, int Ny, int Nz)? Synthetic { get; init; }
    /// <summary>Synthetic scene spacing (mm).</summary>
    public Vec3 SyntheticSpacing { get; init; } = new(1, 1, 1);
    /// <summary>Framebuffer (window or snapshot) size.</summary>
    public int Width { get; init; } = 1024;
    /// <summary>Framebuffer height.</summary>
    public int Height { get; init; } = 1024;
    /// <summary>When set: render this many frames of each pane kind headless and print frames per second.</summary>
    public int? BenchmarkFrames { get; init; }
    /// <summary>Initial fusion mode.</summary>
    public FusionMode Fusion { get; init; } = FusionMode.Alpha;
    /// <summary>Initial overlay opacity.</summary>
    public double Opacity { get; init; } = 0.5;
    /// <summary>Initial cursor (LPS mm); the base volume's centre when null.</summary>
    public Vec3? At { get; init; }
    /// <summary>Initial 3-D azimuth (degrees).</summary>
    public double Azimuth { get; init; } = 30;
    /// <summary>Initial 3-D elevation (degrees).</summary>
    public double Elevation { get; init; } = 15;

    /// <summary>Parses the command line.</summary>
    /// <exception cref="ArgumentException">Unknown option, missing value or malformed number (message says which).</exception>
    public static ViewerOptions Parse(IReadOnlyList<string> args)
    {
        var o = new ViewerOptions();
        for (int n = 0; n < args.Count; n++)
        {
            string a = args[n];
            string Value() => n + 1 < args.Count ? args[++n] : throw new ArgumentException($"Option {a} needs a value.");
            o = a switch
            {
                "--overlay" => o with { Overlay = Value() },
                "--transform" => o with { Transform = Value() },
                "--labels" => o with { Labels = Value() },
                "--label-table" => o with { LabelTable = Value() },
                "--plan" => o with { Plan = Value() },
                "--snapshot" => o with { Snapshot = Value() },
                "--size" => ParseSize(o, Value()),
                "--benchmark-frames" => o with { BenchmarkFrames = PositiveInt(a, Value()) },
                "--fusion" => o with { Fusion = ParseFusion(Value()) },
                "--opacity" => o with { Opacity = Math.Clamp(Number(a, Value()), 0, 1) },
                "--at" => o with { At = Point(a, Value()) },
                "--azimuth" => o with { Azimuth = Number(a, Value()) },
                "--elevation" => o with { Elevation = Number(a, Value()) },
                "--synthetic" => ParseSynthetic(o, Value()),
                _ when a.StartsWith('-') => throw new ArgumentException($"Unknown option {a}."),
                _ when o.Path is null => o with { Path = a },
                _ => throw new ArgumentException($"Unexpected argument '{a}': only one PATH is accepted."),
            };
        }
        if (o.Path is null && o.Synthetic is null) throw new ArgumentException("Give a volume PATH (or --synthetic NXxNYxNZ).");
        if (o.Path is not null && o.Synthetic is not null) throw new ArgumentException("Give either PATH or --synthetic, not both.");
        if (o.Transform is not null && o.Overlay is null) throw new ArgumentException("--transform needs --overlay.");
        if (o.LabelTable is not null && o.Labels is null) throw new ArgumentException("--label-table needs --labels.");
        return o;
    }

    private static ViewerOptions ParseSize(ViewerOptions o, string text)
    {
        var parts = text.Split('x');
        if (parts.Length != 2) throw new ArgumentException($"--size '{text}' must be WxH, e.g. 1024x768.");
        return o with { Width = PositiveInt("--size", parts[0]), Height = PositiveInt("--size", parts[1]) };
    }

    private static ViewerOptions ParseSynthetic(ViewerOptions o, string text)
    {
        var at = text.Split('@');
        var size = at[0].Split('x');
        if (size.Length != 3 || at.Length > 2) throw new ArgumentException($"--synthetic '{text}' must be NXxNYxNZ or NXxNYxNZ@SX,SY,SZ.");
        var spacing = at.Length == 2 ? Point("--synthetic", at[1]) : new Vec3(1, 1, 1);
        if (!(spacing.X > 0 && spacing.Y > 0 && spacing.Z > 0)) throw new ArgumentException($"--synthetic spacing '{at[1]}' must be positive.");
        return o with
        {
            Synthetic = (PositiveInt("--synthetic", size[0]), PositiveInt("--synthetic", size[1]), PositiveInt("--synthetic", size[2])),
            SyntheticSpacing = spacing,
        };
    }

    private static FusionMode ParseFusion(string text) => text.ToLowerInvariant() switch
    {
        "alpha" => FusionMode.Alpha,
        "checkerboard" => FusionMode.Checkerboard,
        "difference" => FusionMode.Difference,
        _ => throw new ArgumentException($"--fusion '{text}': use alpha, checkerboard or difference."),
    };

    private static int PositiveInt(string option, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v : throw new ArgumentException($"{option} '{text}' must be a positive integer.");

    private static double Number(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v : throw new ArgumentException($"{option} '{text}' must be a number.");

    private static Vec3 Point(string option, string text)
    {
        var p = text.Split(',');
        if (p.Length != 3) throw new ArgumentException($"{option} '{text}' must be x,y,z.");
        return new Vec3(Number(option, p[0]), Number(option, p[1]), Number(option, p[2]));
    }
}
