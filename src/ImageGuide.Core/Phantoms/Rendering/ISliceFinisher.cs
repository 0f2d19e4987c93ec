namespace ImageGuide.Phantoms;

/// <summary>
/// Turns one rasterized slice (noise-free partial-volume channels, centre labels and flags) into the final
/// voxels of a modality: noise, bias field, artefacts, masks. Called concurrently for different slices.
/// </summary>
internal interface ISliceFinisher
{
    /// <summary>Finishes slice <paramref name="k"/>; the channel arrays hold at least one plane of values.</summary>
    void Finish(int k, float[][] channels, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> flags);
}
