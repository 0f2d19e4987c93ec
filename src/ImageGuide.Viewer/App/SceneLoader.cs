using ImageGuide.Imaging;
using ImageGuide.IO;
using ImageGuide.Visualization;
using ImageGuide.Viewer.Scene;

namespace ImageGuide.Viewer.App;

/// <summary>Builds a <see cref="ViewerScene"/> from the command line with core's readers.</summary>
public static class SceneLoader
{
    /// <summary>Loads the files named in <paramref name="options"/> (or builds the synthetic scene).</summary>
    /// <exception cref="ImageGuideException">A file is missing, unreadable or of an unsupported kind.</exception>
    public static ViewerScene Load(ViewerOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Synthetic is var (nx, ny, nz))
        {
            var synthetic = SyntheticScene.Create(nx, ny, nz, options.SyntheticSpacing, cancellationToken);
            return options.Plan is null ? synthetic : synthetic with { Trajectories = PlanReader.Read(options.Plan) };
        }
        var scene = new ViewerScene(ReadScalar(options.Path!, cancellationToken));
        if (options.Overlay is not null)
        {
            scene = scene with { Overlay = ReadScalar(options.Overlay, cancellationToken) };
            if (options.Transform is not null)
                throw new UnsupportedFormatException($"{options.Transform}: reading ITK transform files is not available in this build of ImageGuide.Core yet; omit --transform to show the overlay in its own frame.");
        }
        if (options.Labels is not null)
        {
            RequireFile(options.Labels);
            var labels = VolumeIO.Read<byte>(options.Labels, cancellationToken);
            scene = scene with { Labels = labels, LabelColors = DefaultLabelColors(labels) };
        }
        if (options.Plan is not null)
        {
            RequireFile(options.Plan);
            scene = scene with { Trajectories = PlanReader.Read(options.Plan) };
        }
        return scene;
    }

    private static Volume<float> ReadScalar(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
            throw new UnsupportedFormatException($"{path}: DICOM folders are not readable by this build of ImageGuide.Core yet; convert the series to .nii.gz or .mha.");
        RequireFile(path);
        return VolumeIO.ReadFloat(path, cancellationToken);
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path)) throw new ImageGuideException($"{path}: no such file.");
    }

    /// <summary>A distinct colour for each label value present (a fixed 8-colour cycle by value).</summary>
    public static IReadOnlyDictionary<int, Rgb> DefaultLabelColors(Volume<byte> labels)
    {
        Rgb[] palette =
        [
            new(255, 64, 64), new(255, 220, 0), new(90, 160, 255), new(80, 220, 120),
            new(230, 120, 255), new(255, 150, 40), new(0, 220, 220), new(240, 240, 240),
        ];
        var present = new bool[256];
        foreach (byte v in labels.Data) present[v] = true;
        var colors = new Dictionary<int, Rgb>();
        for (int v = 1; v < 256; v++)
            if (present[v]) colors[v] = palette[(v - 1) % palette.Length];
        return colors;
    }
}
