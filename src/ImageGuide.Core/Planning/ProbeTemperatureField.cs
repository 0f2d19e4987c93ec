using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Planning;

/// <summary>
/// The modelled temperature (°C) around placed applicators of one model, as the planner uses it: cryoprobes' cooling
/// fields superposed, heat applicators' zones united (<see cref="ProbeModel"/>). For display of isotherms (0, −20, −40 °C;
/// 50 and 45 °C), thermal protection and checking a placement; approximate wherever the model is.
/// </summary>
public sealed class ProbeTemperatureField : ITemperatureField
{
    private readonly ProbeModel _model;
    private readonly Vec3[] _centres;
    private readonly Vec3[] _axes;

    /// <summary>Creates the field of probes given by tip (LPS mm) and unit axis (entry → tip).</summary>
    public ProbeTemperatureField(ProbeModel model, IReadOnlyList<(Vec3 Tip, Vec3 Axis)> probes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(probes);
        _model = model;
        _centres = new Vec3[probes.Count];
        _axes = new Vec3[probes.Count];
        for (int p = 0; p < probes.Count; p++)
        {
            _axes[p] = probes[p].Axis.Normalized();
            _centres[p] = probes[p].Tip - _axes[p] * model.CentreOffsetMm;
        }
    }

    /// <summary>Modelled temperature (°C) at a physical point; body temperature far from every probe.</summary>
    public double TemperatureAt(Vec3 p) =>
        _model.TemperatureFromDose(IceField.Cooling(_model, _centres, _axes, _centres.Length, p.X, p.Y, p.Z));

    /// <summary>The applicator model.</summary>
    public ProbeModel Model => _model;
}
