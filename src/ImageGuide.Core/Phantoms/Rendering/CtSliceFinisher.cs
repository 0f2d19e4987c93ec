namespace ImageGuide.Phantoms;

/// <summary>Diagnostic CT: HU from channel 0 plus Gaussian noise of σ HU, rounded to short.</summary>
internal sealed class CtSliceFinisher(short[] output, int plane, double sigma, ulong seed) : ISliceFinisher
{
    public void Finish(int k, float[][] channels, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> flags)
    {
        var rng = PhantomRandom.ForStream(seed, SliceNoise.DiagnosticCt, (ulong)k);
        var src = channels[0];
        var dst = output.AsSpan(k * plane, plane);
        for (int n = 0; n < plane; n++) dst[n] = SliceNoise.ToShort(src[n] + sigma * rng.NextGaussian());
    }
}
