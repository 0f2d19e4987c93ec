using ImageGuide.Imaging;

namespace ImageGuide.Planning;

/// <summary>The combined cooling Θ = 37 °C − T of several probes of one model: the sum of their fields.</summary>
internal sealed class IceField
{
    private readonly ProbeModel _model;
    private readonly Vec3[] _centres;
    private readonly Vec3[] _axes;

    public IceField(ProbeModel model, IReadOnlyList<PlannedProbe> probes)
    {
        _model = model;
        _centres = new Vec3[probes.Count];
        _axes = new Vec3[probes.Count];
        for (int p = 0; p < probes.Count; p++)
        {
            _axes[p] = probes[p].Axis;
            _centres[p] = probes[p].Tip - probes[p].Axis * model.CentreOffsetMm;
        }
    }

    public IReadOnlyList<Vec3> Centres => _centres;

    public ProbeModel Model => _model;

    /// <summary>Cooling (K below body temperature) at a physical point.</summary>
    public double Cooling(double x, double y, double z) => Cooling(_model, _centres, _axes, _centres.Length, x, y, z);

    /// <summary>Cooling summed over the first <paramref name="count"/> probes.</summary>
    public static double Cooling(ProbeModel model, Vec3[] centres, Vec3[] axes, int count, double x, double y, double z)
    {
        double sum = 0;
        for (int p = 0; p < count; p++)
        {
            double dx = x - centres[p].X, dy = y - centres[p].Y, dz = z - centres[p].Z;
            var u = axes[p];
            double along = dx * u.X + dy * u.Y + dz * u.Z;
            double across2 = Math.Max(0, dx * dx + dy * dy + dz * dz - along * along);
            sum += model.Cooling(Math.Sqrt(across2), along);
        }
        return sum;
    }
}
