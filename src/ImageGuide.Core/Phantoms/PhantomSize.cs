namespace ImageGuide.Phantoms;

/// <summary>Grid resolution of the rendered frames; both sizes cover the same fields of view.</summary>
public enum PhantomSize
{
    /// <summary>Coarse grids (2 mm in-plane) for tests and quick runs.</summary>
    Small,
    /// <summary>Clinical grids: CT 512 × 512 × 160 at 0.72 × 0.72 × 1.25 mm, MR 1 × 1 × 3 mm, CBCT 1 mm isotropic.</summary>
    Full,
}
