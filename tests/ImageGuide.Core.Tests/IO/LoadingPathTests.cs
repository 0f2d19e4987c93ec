using ImageGuide.Dicom;
using ImageGuide.Dicom.Codecs;
using ImageGuide.IO;

namespace ImageGuide.Tests.IO;

/// <summary>
/// The one loading path: VolumeReader reads DICOM through the format registry, and a codec registry given in the
/// options reaches the pixel decoding of a whole series (scanner → assembler), not only of single files.
/// </summary>
public class LoadingPathTests
{
    private static string RleSlice() => Path.Combine(TestPaths.RequireShared("mr-one-slice-9-syntaxes"), "In", "4.dcm");

    /// <summary>Counts the frames it decodes and hands them to the built-in RLE codec.</summary>
    private sealed class CountingRle : IDicomCodec
    {
        private readonly RleLosslessCodec _inner = new();
        public int Frames;
        public IReadOnlyList<string> TransferSyntaxUids => _inner.TransferSyntaxUids;
        public string Name => "counting RLE";
        public void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination)
        {
            Interlocked.Increment(ref Frames);
            _inner.DecodeFrame(encodedFrame, format, destination);
        }
    }

    [Test]
    public void CodecRegistryInTheOptions_DecodesTheSeries()
    {
        var counting = new CountingRle();
        var codecs = DicomCodecRegistry.CreateDefault();
        codecs.Register(counting);
        var options = new VolumeReadOptions { Dicom = new DicomReadOptions { Codecs = codecs } };
        var viaOptions = VolumeReader.Read(RleSlice(), options);
        Assert.That(counting.Frames, Is.EqualTo(1), "the registry given in the options decoded the frame");
        Assert.That(viaOptions.Volume.Data, Is.EqualTo(VolumeReader.Read(RleSlice()).Volume.Data), "same pixels as the built-in codec");
        Assert.That(viaOptions.Series, Is.Not.Null);
    }

    [Test]
    public void EmptyCodecRegistry_RefusesTheCompressedSeries()
    {
        var options = new VolumeReadOptions { Dicom = new DicomReadOptions { Codecs = new DicomCodecRegistry() } };
        Assert.Throws<UnsupportedTransferSyntaxException>(() => VolumeReader.Read(RleSlice(), options));
    }

    [Test]
    public void DicomIsTheRegistrysLastFormat_AndReadsWhatTheFileFormatsLeave()
    {
        var formats = VolumeFormatRegistry.Default.Formats;
        Assert.That(formats[^1], Is.InstanceOf<DicomVolumeFormat>());
        Assert.That(VolumeFormatRegistry.Default.ReaderFor(RleSlice()), Is.InstanceOf<DicomVolumeFormat>());
        Assert.That(VolumeFormatRegistry.Default.ReaderFor("x.nii.gz"), Is.InstanceOf<NiftiVolumeFormat>());
        Assert.That(VolumeFormatRegistry.Default.ReaderFor("/no/such/place"), Is.Null);
        var loaded = VolumeFormatRegistry.Default.Read(RleSlice());
        Assert.That(loaded.Series!.Modality, Is.EqualTo("MR"));
        Assert.That(loaded.ElementType, Is.EqualTo(VoxelType.Float32));
    }

    [Test]
    public void MasksReadExactly_FromAnyFormat()
    {
        // MR intensities a byte cannot hold are refused as a mask, never wrapped or rounded
        Assert.Throws<InvalidImageDataException>(() => VolumeReader.Read<byte>(RleSlice()));
    }
}
