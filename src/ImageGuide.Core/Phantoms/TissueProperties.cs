namespace ImageGuide.Phantoms;

/// <summary>Imaging values of one tissue.</summary>
/// <param name="CtHu">Mean CT attenuation (HU) before noise.</param>
/// <param name="MrT1">Mean T1-weighted MR signal (arbitrary units) before bias field and noise.</param>
/// <param name="MrT2">Mean T2-weighted MR signal (arbitrary units) before bias field and noise.</param>
public readonly record struct TissueProperties(double CtHu, double MrT1, double MrT2);
