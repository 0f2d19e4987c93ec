namespace ImageGuide.Phantoms;

/// <summary>
/// One solid of the anatomy with the label it paints. Shapes are painted in list order, later ones over
/// earlier ones. A <see cref="Curved"/> shape is modelled in straight spine coordinates and follows the
/// <see cref="SpineCurve"/>.
/// </summary>
/// <param name="Shape">The solid.</param>
/// <param name="Label">Label value it paints.</param>
/// <param name="Name">Descriptive name (e.g. "L1 left pedicle").</param>
/// <param name="Curved">True when the shape follows the spine's curvature.</param>
public sealed record PaintedShape(Shape Shape, byte Label, string Name, bool Curved);
