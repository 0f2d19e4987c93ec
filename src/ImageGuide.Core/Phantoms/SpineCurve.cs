using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// Gentle curvature of the spine: deep structures are modelled straight along z and displaced by
/// (Ax·sin(ωz + φx), Ay·sin(ωz + φy), 0). The displacement depends on z only, so the mapping between
/// straight and curved coordinates is exact in both directions.
/// </summary>
/// <param name="AmplitudeX">Lateral (scoliotic) amplitude, mm.</param>
/// <param name="AmplitudeY">Antero-posterior (kyphotic/lordotic) amplitude, mm.</param>
/// <param name="Frequency">ω, radians per mm along z.</param>
/// <param name="PhaseX">φx, radians.</param>
/// <param name="PhaseY">φy, radians.</param>
public readonly record struct SpineCurve(double AmplitudeX, double AmplitudeY, double Frequency, double PhaseX, double PhaseY)
{
    /// <summary>Displacement of the curved spine at height <paramref name="z"/>.</summary>
    public Vec3 Offset(double z) => new(AmplitudeX * Math.Sin(Frequency * z + PhaseX), AmplitudeY * Math.Sin(Frequency * z + PhaseY), 0);

    /// <summary>Maps a point of the curved anatomy to the straight modelling coordinates.</summary>
    public Vec3 ToStraight(Vec3 p) => p - Offset(p.Z);

    /// <summary>Maps a point of the straight modelling coordinates to the curved anatomy.</summary>
    public Vec3 ToCurved(Vec3 q) => q + Offset(q.Z);

    /// <summary>
    /// Lipschitz constant of <see cref="ToStraight"/>: distances in straight coordinates are at most this
    /// factor times distances in the anatomy, so dividing a straight distance bound by it keeps it conservative.
    /// </summary>
    public double Lipschitz => 1 + Math.Abs(Frequency) * Math.Sqrt(AmplitudeX * AmplitudeX + AmplitudeY * AmplitudeY);
}
