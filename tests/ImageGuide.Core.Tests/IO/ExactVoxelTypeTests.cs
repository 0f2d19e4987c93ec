using System.Buffers.Binary;
using ImageGuide.Imaging;
using ImageGuide.IO;

namespace ImageGuide.Tests.IO;

/// <summary>
/// <see cref="VolumeIO.WriteExact"/>: real values written in the smallest type that holds them exactly, read back to the
/// same floats. The written datatype is checked in the raw header bytes (nifti1.h offsets 70/72), not through our reader.
/// </summary>
public class ExactVoxelTypeTests : IoTestBase
{
    private static Volume<float> Filled(Func<int, float> value, int nx = 37, int ny = 11, int nz = 5)
    {
        var v = new Volume<float>(new VolumeGeometry(nx, ny, nz, new Vec3(0.7, 0.8, 2.5), new Vec3(-12.5, 30, 7)),
            new ImageMetadata { SeriesDescription = "exact" });
        for (int n = 0; n < v.Data.Length; n++) v.Data[n] = value(n);
        return v;
    }

    private static (short Datatype, short Bitpix, float Slope, float Inter) RawHeader(string path)
    {
        var b = File.ReadAllBytes(path);
        return (BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(70)), BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(72)),
            BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(112)), BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(116)));
    }

    [TestCase(-1024f, 3071f, VoxelType.Int16, (short)4, (short)16)]        // CT in HU
    [TestCase(0f, 255f, VoxelType.UInt8, (short)2, (short)8)]              // a label map
    [TestCase(-100f, 100f, VoxelType.Int8, (short)256, (short)8)]
    [TestCase(0f, 60000f, VoxelType.UInt16, (short)512, (short)16)]        // MR magnitudes beyond int16
    [TestCase(-40000f, 40000f, VoxelType.Float32, (short)16, (short)32)]   // wider than 16 bits: float32 as before
    public void WholeNumbers_TakeTheSmallestExactType_AndReadBackIdentical(float lo, float hi, VoxelType expected, short datatype, short bitpix)
    {
        var v = Filled(n => n % 3 == 0 ? lo : n % 3 == 1 ? hi : MathF.Round(lo + (hi - lo) * (n % 97) / 96f));
        string path = P("x.nii");
        Assert.That(VolumeIO.WriteExact(v, path), Is.EqualTo(expected));
        var h = RawHeader(path);
        Assert.That((h.Datatype, h.Bitpix), Is.EqualTo((datatype, bitpix)));
        Assert.That(new FileInfo(path).Length, Is.EqualTo(352 + (long)v.Data.Length * bitpix / 8));
        var back = VolumeReader.Read(path).Volume;
        Assert.That(back.Data, Is.EqualTo(v.Data), "the same floats");
        Assert.That(back.Geometry.Origin.X, Is.EqualTo(v.Geometry.Origin.X).Within(1e-4));
        Assert.That(back.Geometry.Spacing.Z, Is.EqualTo(2.5).Within(1e-6));
        Assert.That(back.Metadata.SeriesDescription, Is.EqualTo("exact"));
    }

    [Test]
    public void Fractions_NaN_AndInfinity_StayFloat32()
    {
        foreach (float odd in new[] { 0.5f, float.NaN, float.PositiveInfinity, -1e-3f })
        {
            var v = Filled(n => n == 123 ? odd : n - 200);
            string path = P($"f{Guid.NewGuid():N}.nii.gz");
            Assert.That(VolumeIO.WriteExact(v, path), Is.EqualTo(VoxelType.Float32), $"{odd}");
            var back = VolumeReader.Read(path).Volume;
            Assert.That(back.Data, Is.EqualTo(v.Data));
        }
    }

    [Test]
    public void OneFractionInTheLastSlab_IsFound_WhateverTheSlabBoundaries()
    {
        // more voxels than one scan slab (2^18), the fraction in the scalar tail
        var v = Filled(n => n % 500 - 250, 512, 512, 2);
        v.Data[^1] = 0.25f;
        Assert.That(ExactVoxelType.Of(v.Data), Is.EqualTo(VoxelType.Float32));
        v.Data[^1] = 7;
        Assert.That(ExactVoxelType.Of(v.Data), Is.EqualTo(VoxelType.Int16));
    }

    [TestCase("x.nii.gz")]
    [TestCase("x.mha")]
    [TestCase("x.nrrd")]
    public void EveryFormat_ReadsBackTheSameFloats_AsInt16(string name)
    {
        var v = Filled(n => (n * 37 % 4096) - 1024);
        string path = P(name);
        Assert.That(VolumeIO.WriteExact(v, path), Is.EqualTo(VoxelType.Int16));
        var loaded = VolumeFormatRegistry.Default.Read(path);
        Assert.That(loaded.ElementType, Is.EqualTo(VoxelType.Int16));
        Assert.That(loaded.ToFloat().Data, Is.EqualTo(v.Data));
    }
}
