using System.CommandLine;
using System.Globalization;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Planning;
using ImageGuide.Visualization;

namespace ImageGuide.Cli.Commands;

/// <summary><c>imageguide render</c>: an MPR or needle-plane snapshot, optionally fused with a second image, as PNG, drawn by ImageGuide.Rendering (set in Program.cs).</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var image = new Option<string>("--image") { Description = "Base image (DICOM folder/file or volume file); the plane lives in its space", Required = true };
        var overlay = new Option<string?>("--overlay") { Description = "Second image to fuse (e.g. MR)" };
        var transform = new Option<string?>("--transform") { Description = "ITK .tfm or JSON transform, or a displacement field (.nii.gz/.mha, e.g. a per-vertebra field.nii.gz), mapping image points to overlay points (fixed → moving)" };
        var labels = new Option<string?>("--labels") { Description = "Label map in the base image's space" };
        var labelTable = new Option<string?>("--label-table") { Description = "Label table JSON (default: LABELS.json beside the label map)" };
        var plan = new Option<string?>("--plan") { Description = "Plan JSON whose trajectories are drawn (needle plane uses the first)" };
        var planeOpt = new Option<string>("--plane") { Description = "axial, coronal, sagittal, needle or bullseye", DefaultValueFactory = _ => "axial" };
        planeOpt.AcceptOnlyFromAmong("axial", "coronal", "sagittal", "needle", "bullseye");
        var at = new Option<string?>("--at") { Description = "Point x,y,z (LPS mm) the plane passes through; default the image centre" };
        var mode = new Option<string>("--mode") { Description = "alpha, checkerboard or difference", DefaultValueFactory = _ => "alpha" };
        mode.AcceptOnlyFromAmong("alpha", "checkerboard", "difference");
        var window = new Option<string?>("--window") { Description = "bone, soft-tissue, brain or C,W (centre,width); default soft tissue for CT, percentiles otherwise" };
        var opacity = new Option<double>("--opacity") { Description = "Overlay opacity in alpha mode", DefaultValueFactory = _ => 0.5 };
        var outPath = new Option<string>("--out") { Description = "PNG file to write", Required = true };
        var force = OutputGuard.ForceOption();
        var cmd = new Command("render", "Render an MPR / needle-plane snapshot with fusion, labels and trajectories to PNG")
            { image, overlay, transform, labels, labelTable, plan, planeOpt, at, mode, window, opacity, outPath, force };
        cmd.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(transform) is not null && parse.GetValue(overlay) is null)
                throw new UsageException("--transform needs --overlay: it maps the image to the overlay.");
            OutputGuard.Check("--out", parse.GetValue(outPath)!, false, new[] { parse.GetValue(image), parse.GetValue(overlay), parse.GetValue(transform),
                parse.GetValue(labels), parse.GetValue(labelTable), parse.GetValue(plan) }.OfType<string>(), parse.GetValue(force));
            var request = await CliRunner.WithProgressAsync("Loading", p => Task.Run(() =>
            {
                var baseImage = VolumeReader.Read(parse.GetValue(image)!, null, p, ct).Volume;
                var planFile = parse.GetValue(plan) is { } planPath ? PlanFile.Read(planPath) : null;
                var trajectories = planFile?.Trajectories.Select(t => new TrajectoryLine(t.Entry, t.Target)).ToList() ?? [];
                var plane = MakePlane(parse.GetValue(planeOpt)!, baseImage.Geometry, parse.GetValue(at), trajectories);
                return new SnapshotRequest
                {
                    Image = baseImage,
                    Plane = plane,
                    Window = parse.GetValue(window) is { } w ? ParseWindow(w) : null,
                    Overlay = parse.GetValue(overlay) is { } o ? VolumeReader.Read(o, cancellationToken: ct).Volume : null,
                    ImageToOverlay = parse.GetValue(transform) is { } t ? TransformIO.ReadAny(t, ct) : null,
                    Mode = Enum.Parse<FusionMode>(parse.GetValue(mode)!, ignoreCase: true),
                    Opacity = parse.GetValue(opacity),
                    Labels = parse.GetValue(labels) is { } l ? LabelMap.Read(l, parse.GetValue(labelTable), ct) : null,
                    Trajectories = trajectories,
                    Temperature = planFile?.ProbeField is { } field ? field.TemperatureAt : null,
                    Title = Title(parse.GetValue(planeOpt)!),
                };
            }, ct));
            FusionSnapshot.Write(request, parse.GetValue(outPath)!);
            Console.Error.WriteLine($"wrote {parse.GetValue(outPath)} ({request.Plane.Width}×{request.Plane.Height}, {request.Plane.PixelSpacing:0.###} mm/pixel)");
            return ExitCodes.Success;
        });
        return cmd;
    }

    internal static SlicePlane MakePlane(string kind, VolumeGeometry g, string? at, IReadOnlyList<TrajectoryLine> trajectories)
    {
        var point = at is null ? g.Center : ParsePoint(at);
        if (kind is "needle" or "bullseye")
        {
            if (trajectories.Count == 0) throw new UsageException($"--plane {kind} needs --plan with at least one trajectory.");
            var t = trajectories[0];
            return kind == "needle" ? SlicePlane.AlongNeedle(t.Entry, t.Target) : SlicePlane.BullsEye(t.Entry, t.Target);
        }
        return kind switch
        {
            "coronal" => SlicePlane.Coronal(g, point),
            "sagittal" => SlicePlane.Sagittal(g, point),
            _ => SlicePlane.Axial(g, point),
        };
    }

    private static string Title(string plane) => plane switch
    {
        "needle" => "Along the needle",
        "bullseye" => "Across the needle at the target",
        _ => char.ToUpperInvariant(plane[0]) + plane[1..],
    };

    internal static Vec3 ParsePoint(string text)
    {
        var parts = text.Split(',');
        if (parts.Length != 3 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            throw new UsageException($"'{text}' is not a point: write x,y,z in LPS mm, e.g. --at 10.5,-20,33");
        return new Vec3(double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static WindowLevel ParseWindow(string text)
    {
        var parts = text.Split(',');
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double c) &&
            double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double w) && w > 0)
            return new WindowLevel(c, w);
        try { return WindowLevel.FromName(text); }
        catch (ImageGuideException e) { throw new UsageException(e.Message); }
    }
}
