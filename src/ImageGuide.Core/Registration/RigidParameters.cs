using ImageGuide.Imaging;
namespace ImageGuide.Registration;

/// <summary>
/// The six optimisation parameters of a versor rigid transform, as increments in its tangent space:
/// a rotation vector ω (radians, applied on the left: <c>R' = exp(ω)·R</c>) and a translation change δt (mm).
/// Metric gradients are expressed with respect to these; the centre of rotation is a fixed parameter.
/// </summary>
public static class RigidParameters
{
    /// <summary>Number of parameters: ωx, ωy, ωz, tx, ty, tz.</summary>
    public const int Count = 6;

    /// <summary>Applies an increment <c>[ωx, ωy, ωz, δtx, δty, δtz]</c> to <paramref name="transform"/>.</summary>
    public static RigidTransform Apply(RigidTransform transform, ReadOnlySpan<double> increment)
    {
        ArgumentNullException.ThrowIfNull(transform);
        if (increment.Length != Count) throw new ArgumentException($"Expected {Count} parameters, got {increment.Length}.", nameof(increment));
        var w = new Vec3(increment[0], increment[1], increment[2]);
        double angle = w.Length;
        var rotation = angle > 0 ? Versor.FromAxisAngle(w / angle, angle) * transform.Rotation : transform.Rotation;
        return new RigidTransform(rotation, transform.Translation + new Vec3(increment[3], increment[4], increment[5]), transform.Center);
    }
}
