using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

/// <summary>The vectorised JPEG 2000 dequantisation gives the scalar formula's floats bit for bit (signs of zero included).</summary>
[TestFixture]
public class J2kDequantizeTests
{
    [TestCase(true, 1.0)]
    [TestCase(false, 1.0)]
    [TestCase(false, 0.0078125)]
    [TestCase(false, 0.00390625 * 1.2371826171875)]
    [TestCase(false, 7.3491)]
    public void Dequantize_EqualsTheScalarFormula(bool reversible, double step)
    {
        var rng = new Random(11);
        foreach (int length in new[] { 1, 7, 8, 9, 64, 333 })
        {
            var source = new int[length];
            for (int n = 0; n < length; n++)
                source[n] = (n % 5) switch
                {
                    0 => rng.Next(-2, 3), // 0, ±1 (→ ±0) and ±2 at the edge of the dead zone
                    1 => rng.Next(-(1 << 30), 1 << 30),
                    _ => rng.Next(-5000, 5000),
                };
            var actual = new float[length];
            J2kTile.Dequantize(source, actual, reversible, step);
            for (int n = 0; n < length; n++)
            {
                int v = source[n], a = Math.Abs(v);
                float value = reversible ? a >> 1 : a >> 1 == 0 ? 0 : (float)(a * 0.5 * step);
                float expected = v < 0 ? -value : value;
                Assert.That(BitConverter.SingleToInt32Bits(actual[n]), Is.EqualTo(BitConverter.SingleToInt32Bits(expected)), $"v = {v}, length {length}");
            }
        }
    }
}
