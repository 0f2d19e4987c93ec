using ImageGuide.IO;

namespace ImageGuide.Tests.IO;

public class VolumeIOTests : IoTestBase
{
    [TestCase("v.nii")]
    [TestCase("v.nii.gz")]
    [TestCase("v.mha")]
    [TestCase("v.mhd")]
    [TestCase("v.nrrd")]
    [TestCase("v.nhdr")]
    public void WriteThenRead_DispatchesOnExtension(string name)
    {
        var g = IoTestSupport.ObliqueGeometry();
        var vol = new Volume<short>(g);
        for (int n = 0; n < vol.Data.Length; n++) vol.Data[n] = (short)(n * 13 - 100);
        VolumeIO.Write(vol, P(name));
        var back = VolumeFormatRegistry.Default.Read(P(name));
        Assert.That(back.ElementType, Is.EqualTo(VoxelType.Int16));
        Assert.That(VolumeReader.Read<short>(P(name)).Data, Is.EqualTo(vol.Data));
        Assert.That(VolumeReader.Read(P(name)).Volume.Data[5], Is.EqualTo(-35f));
        IoTestSupport.AssertGeometry(g, back.Geometry, 1e-6);
    }

    [Test]
    public void UnknownExtension_ListsTheSupportedOnes()
    {
        var ex = Assert.Throws<UnsupportedFormatException>(() => VolumeIO.Write(new Volume<byte>(new VolumeGeometry(1, 1, 1, new Vec3(1, 1, 1), Vec3.Zero)), P("x.png")));
        Assert.That(ex!.Message, Does.Contain("x.png").And.Contain(".nii.gz").And.Contain(".mha").And.Contain(".nrrd"));
        File.WriteAllText(P("y.txt"), "hello");
        Assert.Throws<UnsupportedFormatException>(() => VolumeFormatRegistry.Default.Read(P("y.txt")));
    }

    [Test]
    public void ExactIntegerConversion_RefusesNonIntegralValues()
    {
        var vol = new Volume<float>(new VolumeGeometry(2, 2, 2, new Vec3(1, 1, 1), Vec3.Zero));
        vol.Data[5] = 2.5f;
        VolumeIO.Write(vol, P("f.nii"));
        var ex = Assert.Throws<InvalidImageDataException>(() => VolumeReader.Read<byte>(P("f.nii")));
        Assert.That(ex!.Message, Does.Contain("(1, 0, 1)").And.Contain("2.5"));
        vol.Data[5] = 300;
        VolumeIO.Write(vol, P("f.nii"));
        Assert.Throws<InvalidImageDataException>(() => VolumeReader.Read<byte>(P("f.nii")));
        Assert.That(VolumeReader.Read<short>(P("f.nii")).Data[5], Is.EqualTo((short)300));
    }

    [Test]
    public void Write_ReplacesAnExistingFileAtomically_LeavingNoTemporaries()
    {
        var g = new VolumeGeometry(2, 2, 2, new Vec3(1, 1, 1), Vec3.Zero);
        File.WriteAllText(P("a.mha"), "old");
        VolumeIO.Write(new Volume<byte>(g), P("a.mha"));
        Assert.That(VolumeFormatRegistry.Default.Read(P("a.mha")).ElementType, Is.EqualTo(VoxelType.UInt8));
        Assert.That(Directory.GetFiles(Dir), Has.Length.EqualTo(1));
    }

    [Test]
    public void UnsupportedVoxelType_IsRefusedBeforeAnyFileIsCreated()
    {
        var g = new VolumeGeometry(1, 1, 1, new Vec3(1, 1, 1), Vec3.Zero);
        Assert.Throws<UnsupportedFormatException>(() => VolumeIO.Write(new Volume<long>(g), P("l.nii")));
        Assert.That(Directory.GetFiles(Dir), Is.Empty);
    }

    private sealed class FakeFolderFormat : IVolumeFormat
    {
        public string Name => "fake";
        public IReadOnlyList<string> Extensions { get; } = ["(folder)"];
        public bool CanRead(string path) => Directory.Exists(path);
        public bool CanWrite(string path) => false;
        public LoadedVolume Read(string path, VolumeReadOptions options, IProgress<double>? progress, CancellationToken cancellationToken) =>
            new LoadedVolume<byte>(new Volume<byte>(new VolumeGeometry(1, 1, 1, new Vec3(1, 1, 1), Vec3.Zero)), path);
        public void Write<T>(Volume<T> volume, string path, CancellationToken cancellationToken) where T : unmanaged =>
            throw new NotSupportedException();
    }

    [Test]
    public void Registry_WithAddsAFormatWithoutChangingTheDefault()
    {
        var registry = VolumeFormatRegistry.Default.With(new FakeFolderFormat());
        Assert.That(registry.Read(Dir).Source, Is.EqualTo(Dir));
        Assert.That(registry.SupportedExtensions, Does.Contain("(folder)"));
        Assert.Throws<UnsupportedFormatException>(() => VolumeFormatRegistry.Default.Read(Dir));
        Assert.That(VolumeIO.SupportedExtensions, Is.EquivalentTo(new[] { ".nii", ".nii.gz", ".mha", ".mhd", ".nrrd", ".nhdr" }));
    }

    [Test]
    public void Cancellation_IsHonoured()
    {
        var vol = new Volume<float>(new VolumeGeometry(4, 4, 4, new Vec3(1, 1, 1), Vec3.Zero));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => VolumeIO.Write(vol, P("c.nii"), cts.Token));
        Assert.That(Directory.GetFiles(Dir), Is.Empty, "a cancelled write leaves nothing behind");
    }
}
