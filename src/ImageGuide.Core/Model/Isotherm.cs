namespace ImageGuide.Model;

/// <summary>One isotherm of a probe model: an ellipsoid about the ice-ball centre, symmetric about the shaft.</summary>
/// <param name="TemperatureC">Temperature of the isotherm (°C).</param>
/// <param name="RadialMm">Semi-axis across the shaft (mm).</param>
/// <param name="AxialMm">Semi-axis along the shaft (mm).</param>
public sealed record Isotherm(double TemperatureC, double RadialMm, double AxialMm);
