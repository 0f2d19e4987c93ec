using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// Grid of one acquisition. Both sizes cover the same field of view; grids are axis-aligned in their own
/// patient space (identity direction, like a standard axial acquisition), centred on the acquisition's anchor.
/// </summary>
internal sealed record FrameLayout(Vec3 Spacing, int Nx, int Ny, int Nz)
{
    /// <summary>Diagnostic CT: 512 × 512 × 160 at 0.72 × 0.72 × 1.25 mm (369 × 369 × 200 mm).</summary>
    public static FrameLayout Ct(PhantomSize size) => size == PhantomSize.Full
        ? new(new Vec3(0.72, 0.72, 1.25), 512, 512, 160) : new(new Vec3(2, 2, 2.5), 184, 184, 80);

    /// <summary>MR: 300 × 300 × 48 at 1 × 1 × 3 mm (narrower than the body, 144 mm long).</summary>
    public static FrameLayout Mr(PhantomSize size) => size == PhantomSize.Full
        ? new(new Vec3(1, 1, 3), 300, 300, 48) : new(new Vec3(2, 2, 4), 150, 150, 36);

    /// <summary>CBCT: 256 × 256 × 180 at 1 mm isotropic; the cylindrical field of view has a 125 mm radius.</summary>
    public static FrameLayout Cbct(PhantomSize size) => size == PhantomSize.Full
        ? new(new Vec3(1, 1, 1), 256, 256, 180) : new(new Vec3(2, 2, 2), 128, 128, 90);

    /// <summary>Intra-procedural CT: 512 × 512 × 96 at 0.72 × 0.72 × 1.25 mm (120 mm around the tumour level).</summary>
    public static FrameLayout IntraOp(PhantomSize size) => size == PhantomSize.Full
        ? new(new Vec3(0.72, 0.72, 1.25), 512, 512, 96) : new(new Vec3(2, 2, 2.5), 184, 184, 48);

    /// <summary>Radius of the CBCT's cylindrical field of view, mm.</summary>
    public const double CbctFovRadiusMm = 125;

    /// <summary>The grid centred on <paramref name="centerInPatient"/>.</summary>
    public VolumeGeometry GridAround(Vec3 centerInPatient) =>
        new(Nx, Ny, Nz, Spacing, centerInPatient - Vec3.Hadamard(new Vec3((Nx - 1) / 2.0, (Ny - 1) / 2.0, (Nz - 1) / 2.0), Spacing));
}
