using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>
/// A modelled temperature everywhere in space, e.g. the field a plan's cryoprobes are expected to produce. Planning
/// builds one (<c>ProbeTemperatureField</c>); ice-ball analysis compares the ice it sees with it. Thread-safe.
/// </summary>
public interface ITemperatureField
{
    /// <summary>Modelled temperature (°C) at <paramref name="point"/> (LPS mm of the field's frame).</summary>
    double TemperatureAt(Vec3 point);
}
