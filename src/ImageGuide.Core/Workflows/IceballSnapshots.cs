using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Segmentation;
using ImageGuide.Visualization;

namespace ImageGuide.Workflows;

/// <summary>PNG views of an ice-ball analysis: axial, coronal and along the first probe, with the 0 °C edge, the lethal edge, labels and probes.</summary>
public static class IceballSnapshots
{
    /// <summary>0 °C edge (cyan) and lethal edge (blue) as contours of 1 − ice − lethal at +0.5 and −0.5.</summary>
    private static readonly IReadOnlyList<(double, Rgb)> Edges = [(0.5, new Rgb(0, 255, 255)), (-0.5, new Rgb(60, 120, 255))];
    private static readonly IReadOnlyList<string> EdgeNames = ["ice ball (0 °C)", "lethal zone"];

    /// <summary>Writes the snapshots (pixels of <paramref name="pixelSpacing"/> mm) into <paramref name="folder"/>; returns the file names.</summary>
    public static IReadOnlyList<string> Write(string folder, Volume<float> ct, IceBallAnalysis analysis, LabelMap? labels, ISpatialTransform? ctToLabels,
        double pixelSpacing = 0.5)
    {
        Directory.CreateDirectory(folder);
        var ice = analysis.IceBall;
        var lethal = analysis.LethalZone;
        double Field(Vec3 p) => 1 - Interpolator.SampleAtPoint(ice, p, InterpolationMode.Linear, 0) - Interpolator.SampleAtPoint(lethal, p, InterpolationMode.Linear, 0);
        var centre = analysis.Diameters?.Centroid ?? (analysis.Probes.Count > 0 ? analysis.Probes[0].Tip : ct.Geometry.Center);
        var lines = analysis.Probes.Select(p => new TrajectoryLine(p.Tip - p.Axis * 60, p.Tip)).ToList();
        var views = new List<(string Name, string Title, SlicePlane Plane)>
        {
            ("iceball-axial.png", "Axial through the ice ball", SlicePlane.Axial(ct.Geometry, centre, pixelSpacing)),
            ("iceball-coronal.png", "Coronal through the ice ball", SlicePlane.Coronal(ct.Geometry, centre, pixelSpacing)),
        };
        if (analysis.Probes.Count > 0)
        {
            var p = analysis.Probes[0];
            views.Add(("iceball-along-probe.png", "Along probe 1", SlicePlane.AlongNeedle(p.Tip - p.Axis * 60, p.Tip + p.Axis * 20)));
        }
        var written = new List<string>();
        foreach (var (name, title, plane) in views)
        {
            FusionSnapshot.Write(new SnapshotRequest
            {
                Image = ct,
                Plane = plane,
                Window = WindowLevel.CtSoftTissue,
                Labels = labels,
                ImageToLabels = ctToLabels,
                Temperature = Field,
                Isotherms = Edges,
                IsothermLabels = EdgeNames,
                Trajectories = lines,
                DepthLabels = false, // the shafts are drawn from 60 mm behind the tip, not from the skin entry
                Title = title,
            }, Path.Combine(folder, name));
            written.Add(name);
        }
        return written;
    }
}
