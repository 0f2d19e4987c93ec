using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Visualization;

/// <summary>A needle path to draw: entry and target in the base image's LPS space.</summary>
public readonly record struct TrajectoryLine(Vec3 Entry, Vec3 Target);

/// <summary>Everything a fused snapshot shows. The base image's physical space is the plane's space.</summary>
public sealed record SnapshotRequest
{
    /// <summary>Base (fixed) image, e.g. CT or CBCT.</summary>
    public required Volume<float> Image { get; init; }
    /// <summary>Plane to render, in the base image's space.</summary>
    public required SlicePlane Plane { get; init; }
    /// <summary>Window of the base image; null = CT soft tissue for HU images, 1–99 % percentiles otherwise.</summary>
    public WindowLevel? Window { get; init; }
    /// <summary>Colours of the base image.</summary>
    public ColorMap ImageColors { get; init; } = ColorMap.Grey;
    /// <summary>Optional second (moving) image, e.g. MR.</summary>
    public Volume<float>? Overlay { get; init; }
    /// <summary>Maps base-image points to overlay points (a registration result fixed → moving); identity when null.</summary>
    public ISpatialTransform? ImageToOverlay { get; init; }
    /// <summary>Window of the overlay; null = 1–99 % percentiles of the overlay's slice.</summary>
    public WindowLevel? OverlayWindow { get; init; }
    /// <summary>Colours of the overlay (alpha mode); checkerboard and difference use grey for both.</summary>
    public ColorMap OverlayColors { get; init; } = ColorMap.Hot;
    /// <summary>How base and overlay are combined.</summary>
    public FusionMode Mode { get; init; } = FusionMode.Alpha;
    /// <summary>Overlay opacity in alpha mode.</summary>
    public double Opacity { get; init; } = 0.5;
    /// <summary>Checkerboard tile size in pixels.</summary>
    public int TilePixels { get; init; } = 32;
    /// <summary>Optional label map drawn as tinted regions with outlines (Body labels are not drawn).</summary>
    public LabelMap? Labels { get; init; }
    /// <summary>Maps base-image points to label-map points; identity when null.</summary>
    public ISpatialTransform? ImageToLabels { get; init; }
    /// <summary>Modelled temperature (°C) at a point of the base image's space, e.g. <c>ProbeTemperatureField.TemperatureAt</c>; isotherms are drawn when set.</summary>
    public Func<Vec3, double>? Temperature { get; init; }
    /// <summary>Isotherms drawn from <see cref="Temperature"/>: 0 °C (visible ice edge, cyan), −20 °C (blue), −40 °C (magenta) by default.</summary>
    public IReadOnlyList<(double TemperatureC, Rgb Color)> Isotherms { get; init; } = FusionSnapshot.DefaultIsotherms;
    /// <summary>Needle paths drawn with 1 cm depth ticks.</summary>
    public IReadOnlyList<TrajectoryLine> Trajectories { get; init; } = [];
}

/// <summary>Renders <see cref="SnapshotRequest"/>s: reslice, window, colour, fuse, annotate. Pure CPU, no display.</summary>
public static class FusionSnapshot
{
    /// <summary>Isotherms shown by default: 0 °C (visible ice edge) cyan, −20 °C blue, −40 °C magenta.</summary>
    public static IReadOnlyList<(double TemperatureC, Rgb Color)> DefaultIsotherms { get; } =
        [(0, new Rgb(0, 255, 255)), (-20, new Rgb(60, 120, 255)), (-40, new Rgb(255, 0, 255))];

    /// <summary>Renders the snapshot with orientation letters and a scale bar.</summary>
    public static RgbaImage Render(SnapshotRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plane = request.Plane;
        var baseSlice = Reslicer.Reslice(request.Image, plane);
        var window = request.Window ?? DefaultWindow(request.Image.Metadata, baseSlice);
        bool greyBoth = request.Overlay is not null && request.Mode != FusionMode.Alpha;
        var image = Fusion.Colorize(baseSlice, window, request.ImageColors);
        if (request.Overlay is { } overlay)
        {
            var overSlice = Reslicer.Reslice(overlay, plane, request.ImageToOverlay);
            var overWindow = request.OverlayWindow ?? WindowLevel.FromPercentiles(overSlice.Pixels);
            var overImage = Fusion.Colorize(overSlice, overWindow, greyBoth ? ColorMap.Grey : request.OverlayColors);
            image = Fusion.Fuse(image, overImage, Fusion.ValidMask(overSlice), request.Mode, request.Opacity, request.TilePixels);
        }
        if (request.Labels is { } labels)
        {
            var labelSlice = Reslicer.Reslice(labels.Volume, plane, request.ImageToLabels, InterpolationMode.Nearest);
            Annotations.DrawLabels(image, labelSlice, LabelColors(labels.Table));
        }
        if (request.Temperature is { } temperature) Annotations.DrawIsotherms(image, plane, temperature, request.Isotherms);
        foreach (var t in request.Trajectories) Annotations.DrawTrajectory(image, plane, t.Entry, t.Target, new Rgb(0, 255, 0));
        Annotations.DrawOrientationLetters(image, plane, new Rgb(255, 255, 0));
        Annotations.DrawScaleBar(image, plane.PixelSpacing, new Rgb(255, 255, 255));
        return image;
    }

    /// <summary>Colour of each drawable label: its table colour, else by role (Target red, Critical yellow, Bone light blue, Other by value).</summary>
    public static IReadOnlyDictionary<int, Rgb> LabelColors(LabelTable table)
    {
        var colors = new Dictionary<int, Rgb>();
        foreach (var l in table.Labels)
        {
            if (l.Role == LabelRole.Body) continue;
            colors[l.Value] = l.Color is { } c ? new Rgb(c.R, c.G, c.B) : l.Role switch
            {
                LabelRole.Target => new Rgb(255, 40, 40),
                LabelRole.Critical => new Rgb(255, 220, 0),
                LabelRole.Bone => new Rgb(150, 200, 255),
                _ => new Rgb((byte)(80 + l.Value * 53 % 176), (byte)(80 + l.Value * 97 % 176), (byte)(80 + l.Value * 31 % 176)),
            };
        }
        return colors;
    }

    private static WindowLevel DefaultWindow(ImageMetadata metadata, Image2D slice) =>
        metadata.Units == "HU" || metadata.Modality == "CT" ? WindowLevel.CtSoftTissue : WindowLevel.FromPercentiles(slice.Pixels);
}
