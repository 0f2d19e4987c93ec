using ImageGuide.Model;
using ImageGuide.Imaging;

namespace ImageGuide.Planning;

/// <summary>
/// The combined dose Θ = |T − 37 °C| of several applicators of one model: for cryoprobes the sum of their cooling fields,
/// for heat applicators the largest of their heating fields (the union of their zones); see <see cref="ProbeModel"/>.
/// </summary>
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

    /// <summary>Dose (K away from body temperature) at a physical point.</summary>
    public double Cooling(double x, double y, double z) => Cooling(_model, _centres, _axes, _centres.Length, x, y, z);

    /// <summary>Dose of the first <paramref name="count"/> applicators: summed (cryo, <see cref="CryoCooling.SummedCooling"/>, the phantom's freeze too) or the largest (heat).</summary>
    public static double Cooling(ProbeModel model, Vec3[] centres, Vec3[] axes, int count, double x, double y, double z)
    {
        if (model.Cryo is not { } cryo) return Heating(model, centres, axes, count, x, y, z);
        return cryo.SummedCooling(centres, axes, count, x, y, z);
    }

    private static double Heating(ProbeModel model, Vec3[] centres, Vec3[] axes, int count, double x, double y, double z)
    {
        double max = 0;
        for (int p = 0; p < count; p++)
        {
            var (across, along) = AxisCoordinates.Of(centres[p], axes[p], x, y, z);
            max = Math.Max(max, model.Dose(across, along));
        }
        return max;
    }
}
