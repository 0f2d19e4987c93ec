using System.Buffers.Binary;
using System.IO.Compression;
using ImageGuide.IO;

namespace ImageGuide.Tests.IO;

public class NiftiTests : IoTestBase
{
    /// <summary>
    /// Builds a NIfTI-1 header by hand at the offsets of nifti1.h (independent of the library's header code).
    /// </summary>
    private sealed class HeaderBuilder(bool bigEndian = false)
    {
        public readonly byte[] Bytes = new byte[352];

        public HeaderBuilder I32(int at, int v) { if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(Bytes.AsSpan(at), v); else BinaryPrimitives.WriteInt32LittleEndian(Bytes.AsSpan(at), v); return this; }
        public HeaderBuilder I16(int at, short v) { if (bigEndian) BinaryPrimitives.WriteInt16BigEndian(Bytes.AsSpan(at), v); else BinaryPrimitives.WriteInt16LittleEndian(Bytes.AsSpan(at), v); return this; }
        public HeaderBuilder F32(int at, float v) { if (bigEndian) BinaryPrimitives.WriteSingleBigEndian(Bytes.AsSpan(at), v); else BinaryPrimitives.WriteSingleLittleEndian(Bytes.AsSpan(at), v); return this; }

        public static HeaderBuilder Basic(short nx, short ny, short nz, short datatype, short bitpix, bool bigEndian = false)
        {
            var h = new HeaderBuilder(bigEndian).I32(0, 348);
            h.I16(40, 3).I16(42, nx).I16(44, ny).I16(46, nz).I16(48, 1).I16(50, 1).I16(52, 1).I16(54, 1);
            h.I16(70, datatype).I16(72, bitpix);
            h.F32(76, 1).F32(80, 1).F32(84, 1).F32(88, 1);
            h.F32(108, 352).F32(112, 1).F32(116, 0);
            h.Bytes[123] = 2;
            "n+1\0"u8.CopyTo(h.Bytes.AsSpan(344));
            return h;
        }

        public HeaderBuilder Pixdim(float qfac, float dx, float dy, float dz) => F32(76, qfac).F32(80, dx).F32(84, dy).F32(88, dz);

        public HeaderBuilder Qform(short code, float b, float c, float d, float x, float y, float z) =>
            I16(252, code).F32(256, b).F32(260, c).F32(264, d).F32(268, x).F32(272, y).F32(276, z);

        public HeaderBuilder Sform(short code, float[] rx, float[] ry, float[] rz)
        {
            I16(254, code);
            for (int n = 0; n < 4; n++) { F32(280 + 4 * n, rx[n]); F32(296 + 4 * n, ry[n]); F32(312 + 4 * n, rz[n]); }
            return this;
        }

        public byte[] WithInt16Data(int count, bool bigEndian = false)
        {
            var all = new byte[352 + 2 * count];
            Bytes.CopyTo(all, 0);
            for (int n = 0; n < count; n++)
                if (bigEndian) BinaryPrimitives.WriteInt16BigEndian(all.AsSpan(352 + 2 * n), (short)(n * 3 - 50));
                else BinaryPrimitives.WriteInt16LittleEndian(all.AsSpan(352 + 2 * n), (short)(n * 3 - 50));
            return all;
        }
    }

    private static readonly float S45 = (float)Math.Sqrt(0.5);

    private string WriteFile(string name, byte[] bytes) { File.WriteAllBytes(P(name), bytes); return P(name); }

    [Test]
    public void Qform_90DegreesAboutZ_GivesHandComputedLpsGeometry()
    {
        // RAS rotation R = [[0,-1,0],[1,0,0],[0,0,1]] (quaternion (0,0,sin45), a = cos45); LPS = diag(-1,-1,1)·R.
        var h = HeaderBuilder.Basic(4, 5, 6, 4, 16).Pixdim(1, 2, 3, 4).Qform(1, 0, 0, S45, 10, 20, 30);
        var v = NiftiFormat.Read(WriteFile("q.nii", h.WithInt16Data(120)));
        var g = v.Geometry;
        Assert.That(Vec3.MaxAbsDifference(g.Spacing, new Vec3(2, 3, 4)), Is.LessThan(1e-6));
        Assert.That(Vec3.MaxAbsDifference(g.Origin, new Vec3(-10, -20, 30)), Is.LessThan(1e-6));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(0), new Vec3(0, -1, 0)), Is.LessThan(1e-6));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(1), new Vec3(1, 0, 0)), Is.LessThan(1e-6));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(2), new Vec3(0, 0, 1)), Is.LessThan(1e-6));
        // voxel (1,2,3): RAS = R·(2,6,12) + (10,20,30) = (-6+10, 2+20, 12+30) → LPS (-4, -22, 42)
        Assert.That(Vec3.MaxAbsDifference(g.IndexToPhysical(1, 2, 3), new Vec3(-4, -22, 42)), Is.LessThan(1e-5));
        Assert.That(v.ElementType, Is.EqualTo(VoxelType.Int16));
        var s = ((LoadedVolume<short>)v).Stored;
        Assert.That(s[1, 2, 3], Is.EqualTo((short)((1 + 2 * 4 + 3 * 20) * 3 - 50)));
        Assert.That(v.Metadata.Warnings, Is.Empty);
    }

    [Test]
    public void Qform_NegativeQfac_ReversesTheSliceAxis()
    {
        var h = HeaderBuilder.Basic(2, 2, 2, 4, 16).Pixdim(-1, 1, 1, 2).Qform(1, 0, 0, 0, 0, 0, 0);
        var g = NiftiFormat.Read(WriteFile("qfac.nii", h.WithInt16Data(8))).Geometry;
        // RAS columns (1,0,0),(0,1,0),(0,0,-1) → LPS (-1,0,0),(0,-1,0),(0,0,-1)
        Assert.That(Mat3.MaxAbsDifference(g.Direction, new Mat3(-1, 0, 0, 0, -1, 0, 0, 0, -1)), Is.LessThan(1e-12));
    }

    [Test]
    public void Sform_Diagonal_GivesHandComputedLpsGeometry()
    {
        var h = HeaderBuilder.Basic(3, 4, 5, 4, 16).Sform(1, [-2, 0, 0, 5], [0, 3, 0, 6], [0, 0, 4, 7]);
        var v = NiftiFormat.Read(WriteFile("s.nii", h.WithInt16Data(60)));
        var g = v.Geometry;
        Assert.That(g.Spacing, Is.EqualTo(new Vec3(2, 3, 4)));
        Assert.That(g.Origin, Is.EqualTo(new Vec3(-5, -6, 7)));
        Assert.That(g.Direction, Is.EqualTo(new Mat3(1, 0, 0, 0, -1, 0, 0, 0, 1)));
        Assert.That(v.Metadata.Warnings, Is.Empty);
    }

    [Test]
    public void Sform_IsPreferredOverQform()
    {
        var h = HeaderBuilder.Basic(2, 2, 2, 4, 16).Pixdim(1, 9, 9, 9).Qform(1, 0, 0, S45, 1, 1, 1)
            .Sform(2, [1, 0, 0, -3], [0, 1, 0, -4], [0, 0, 1, 5]);
        var g = NiftiFormat.Read(WriteFile("both.nii", h.WithInt16Data(8))).Geometry;
        Assert.That(g.Origin, Is.EqualTo(new Vec3(3, 4, 5)));
        Assert.That(g.Spacing, Is.EqualTo(new Vec3(1, 1, 1)));
    }

    [Test]
    public void ShearedSform_FallsBackToQformWithWarning_OrFailsWithoutQform()
    {
        var sheared = HeaderBuilder.Basic(2, 2, 2, 4, 16).Pixdim(1, 1, 1, 1)
            .Sform(1, [1, 0.5f, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]);
        var path = WriteFile("shear.nii", sheared.WithInt16Data(8));
        var ex = Assert.Throws<GeometryException>(() => NiftiFormat.Read(path));
        Assert.That(ex!.Message, Does.Contain("shear.nii").And.Contain("sform"));

        sheared.Qform(1, 0, 0, 0, 7, 8, 9);
        var v = NiftiFormat.Read(WriteFile("shear2.nii", sheared.WithInt16Data(8)));
        Assert.That(v.Geometry.Origin, Is.EqualTo(new Vec3(-7, -8, 9)));
        Assert.That(v.Metadata.Warnings, Has.Some.Contains("qform"));
    }

    [Test]
    public void NoTransformCodes_UsesPixdimWithWarning()
    {
        var h = HeaderBuilder.Basic(2, 2, 2, 4, 16).Pixdim(1, 0.5f, 0.5f, 3);
        var v = NiftiFormat.Read(WriteFile("m1.nii", h.WithInt16Data(8)));
        Assert.That(v.Geometry.Spacing, Is.EqualTo(new Vec3(0.5, 0.5, 3)));
        Assert.That(v.Geometry.Origin, Is.EqualTo(Vec3.Zero));
        Assert.That(v.Geometry.Direction, Is.EqualTo(new Mat3(-1, 0, 0, 0, -1, 0, 0, 0, 1)));
        Assert.That(v.Metadata.Warnings, Has.Count.EqualTo(1));
    }

    [Test]
    public void SclSlopeAndIntercept_AreAppliedByToFloat_NotToStoredValues()
    {
        var h = HeaderBuilder.Basic(2, 2, 2, 4, 16).Qform(1, 0, 0, 0, 0, 0, 0).F32(112, 2).F32(116, -100);
        var v = NiftiFormat.Read(WriteFile("scl.nii", h.WithInt16Data(8)));
        Assert.That(v.RescaleSlope, Is.EqualTo(2));
        Assert.That(v.RescaleIntercept, Is.EqualTo(-100));
        var f = v.ToFloat();
        for (int n = 0; n < 8; n++) Assert.That(f.Data[n], Is.EqualTo(2f * (n * 3 - 50) - 100));
        Assert.That(((LoadedVolume<short>)v).Stored.Data[1], Is.EqualTo((short)-47));
        Assert.That(v.ToVolume<short>().Data[1], Is.EqualTo((short)(2 * -47 - 100)));
    }

    [Test]
    public void SclSlopeZero_MeansNoScaling()
    {
        var h = HeaderBuilder.Basic(2, 2, 2, 4, 16).Qform(1, 0, 0, 0, 0, 0, 0).F32(112, 0).F32(116, 50);
        var v = NiftiFormat.Read(WriteFile("scl0.nii", h.WithInt16Data(8)));
        Assert.That(v.IsIdentityRescale, Is.True);
        Assert.That(v.ToFloat().Data[0], Is.EqualTo(-50f));
    }

    [TestCase((byte)1, 1000.0)]
    [TestCase((byte)3, 0.001)]
    [TestCase((byte)0, 1.0)]
    public void SpatialUnits_AreConvertedToMillimetres(byte units, double scale)
    {
        var h = HeaderBuilder.Basic(2, 2, 2, 4, 16).Sform(1, [-2, 0, 0, 5], [0, 3, 0, 6], [0, 0, 4, 7]);
        h.Bytes[123] = units;
        var g = NiftiFormat.Read(WriteFile($"u{units}.nii", h.WithInt16Data(8))).Geometry;
        Assert.That(Vec3.MaxAbsDifference(g.Spacing, new Vec3(2, 3, 4) * scale), Is.LessThan(1e-9 * scale));
        Assert.That(Vec3.MaxAbsDifference(g.Origin, new Vec3(-5, -6, 7) * scale), Is.LessThan(1e-9 * scale));
    }

    [Test]
    public void SeriesDescription_TravelsInDescrip()
    {
        var v = new Volume<byte>(new VolumeGeometry(1, 1, 1, new Vec3(1, 1, 1), Vec3.Zero), new ImageMetadata { SeriesDescription = "T1 axial" });
        NiftiFormat.Write(v, P("d.nii"));
        Assert.That(System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(P("d.nii")), 148, 8), Is.EqualTo("T1 axial"));
        Assert.That(NiftiFormat.Read(P("d.nii")).Metadata.SeriesDescription, Is.EqualTo("T1 axial"));
    }

    [Test]
    public void MissingFileOrFolder_IsReportedByName()
    {
        var e = Assert.Throws<InvalidImageDataException>(() => NiftiFormat.Read(P("absent.nii")));
        Assert.That(e!.Message, Does.Contain("absent.nii").And.Contain("not found"));
        Assert.That(Assert.Throws<InvalidImageDataException>(() => NiftiFormat.Read(Dir))!.Message, Does.Contain("folder"));
    }

    [Test]
    public void BigEndianHeaderAndData_AreRead()
    {
        var h = HeaderBuilder.Basic(4, 5, 6, 4, 16, bigEndian: true).Pixdim(1, 2, 3, 4).Qform(1, 0, 0, S45, 10, 20, 30);
        var v = NiftiFormat.Read(WriteFile("be.nii", h.WithInt16Data(120, bigEndian: true)));
        Assert.That(Vec3.MaxAbsDifference(v.Geometry.Origin, new Vec3(-10, -20, 30)), Is.LessThan(1e-6));
        Assert.That(Vec3.MaxAbsDifference(v.Geometry.Direction.Column(0), new Vec3(0, -1, 0)), Is.LessThan(1e-6));
        var s = ((LoadedVolume<short>)v).Stored;
        for (int n = 0; n < 120; n++) Assert.That(s.Data[n], Is.EqualTo((short)(n * 3 - 50)));
    }

    [TestCase("rt.nii")]
    [TestCase("rt.nii.gz")]
    public void RoundTrip_ObliqueGeometry_IsExactForVoxelsAndWithin1e6ForGeometry(string name)
    {
        foreach (var g in new[] { IoTestSupport.ObliqueGeometry(), IoTestSupport.LeftHandedGeometry() })
        {
            var vol = IoTestSupport.Ramp(g);
            NiftiFormat.Write(vol, P(name));
            var back = NiftiFormat.Read(P(name));
            Assert.That(back.ElementType, Is.EqualTo(VoxelType.Float32));
            IoTestSupport.AssertGeometry(g, back.Geometry, 1e-6);
            Assert.That(back.ToFloat().Data, Is.EqualTo(vol.Data));
        }
        if (name.EndsWith(".gz")) Assert.That(File.ReadAllBytes(P(name))[..2], Is.EqualTo(new byte[] { 0x1F, 0x8B }));
    }

    [Test]
    public void RoundTrip_EverySupportedVoxelType()
    {
        var g = new VolumeGeometry(3, 2, 2, new Vec3(1, 1, 1), Vec3.Zero);
        Check<byte>(g, n => (byte)(n * 20));
        Check<sbyte>(g, n => (sbyte)(n * 10 - 60));
        Check<short>(g, n => (short)(n * 1000 - 6000));
        Check<ushort>(g, n => (ushort)(n * 5000));
        Check<int>(g, n => n * 100000 - 7);
        Check<uint>(g, n => (uint)n * 300000000u);
        Check<float>(g, n => n / 3f);
        Check<double>(g, n => Math.PI * n);

        void Check<T>(VolumeGeometry geo, Func<int, T> value) where T : unmanaged, System.Numerics.INumber<T>
        {
            var v = new Volume<T>(geo);
            for (int n = 0; n < v.Data.Length; n++) v.Data[n] = value(n);
            NiftiFormat.Write(v, P($"t_{typeof(T).Name}.nii"));
            var back = NiftiFormat.Read(P($"t_{typeof(T).Name}.nii"));
            Assert.That(back, Is.TypeOf<LoadedVolume<T>>());
            Assert.That(((LoadedVolume<T>)back).Stored.Data, Is.EqualTo(v.Data), typeof(T).Name);
        }
    }

    [Test]
    public void WrittenFile_HasNifti1FieldsAtTheirFixedOffsets_InRas()
    {
        var g = IoTestSupport.ObliqueGeometry();
        NiftiFormat.Write(new Volume<short>(g), P("check.nii"));
        var b = File.ReadAllBytes(P("check.nii"));
        Assert.That(b.Length, Is.EqualTo(352 + 2 * g.VoxelCount));
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(b), Is.EqualTo(348));
        short Dim(int n) => BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(40 + 2 * n));
        float F(int at) => BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(at));
        Assert.That(new[] { Dim(0), Dim(1), Dim(2), Dim(3) }, Is.EqualTo(new short[] { 3, 5, 4, 3 }));
        Assert.That(BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(70)), Is.EqualTo(4), "datatype int16");
        Assert.That(BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(72)), Is.EqualTo(16), "bitpix");
        Assert.That(F(108), Is.EqualTo(352f), "vox_offset");
        Assert.That(b[123] & 7, Is.EqualTo(2), "xyzt_units mm");
        Assert.That(BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(252)), Is.EqualTo(1), "qform_code");
        Assert.That(BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(254)), Is.EqualTo(1), "sform_code");
        Assert.That(System.Text.Encoding.ASCII.GetString(b, 344, 4), Is.EqualTo("n+1\0"));
        var m = g.IndexToPhysicalMatrix; // LPS steps; RAS srow_x = −row 0, srow_y = −row 1, srow_z = row 2
        for (int c = 0; c < 3; c++)
        {
            Assert.That(F(280 + 4 * c), Is.EqualTo(-m[0, c]).Within(1e-6));
            Assert.That(F(296 + 4 * c), Is.EqualTo(-m[1, c]).Within(1e-6));
            Assert.That(F(312 + 4 * c), Is.EqualTo(m[2, c]).Within(1e-6));
        }
        Assert.That(F(292), Is.EqualTo(120.5f));
        Assert.That(F(308), Is.EqualTo(-33.25f));
        Assert.That(F(324), Is.EqualTo(7.125f));
        Assert.That(F(268), Is.EqualTo(120.5f), "qoffset_x");
    }

    [Test]
    public void FourDimensional_OneVolumeIsAccepted_SeveralAreRefused()
    {
        var h = HeaderBuilder.Basic(2, 2, 2, 4, 16).Qform(1, 0, 0, 0, 0, 0, 0).I16(40, 4).I16(48, 1);
        Assert.That(NiftiFormat.Read(WriteFile("t1.nii", h.WithInt16Data(8))).Geometry.Nz, Is.EqualTo(2));
        h.I16(48, 3);
        var ex = Assert.Throws<UnsupportedFormatException>(() => NiftiFormat.Read(WriteFile("t3.nii", h.WithInt16Data(24))));
        Assert.That(ex!.Message, Does.Contain("t3.nii").And.Contain("dim[4] = 3"));
    }

    [Test]
    public void CorruptHeaders_RaiseTypedExceptionsNamingFileAndField()
    {
        var neg = HeaderBuilder.Basic(2, -2, 2, 4, 16).Qform(1, 0, 0, 0, 0, 0, 0);
        var e1 = Assert.Throws<InvalidImageDataException>(() => NiftiFormat.Read(WriteFile("neg.nii", neg.WithInt16Data(8))));
        Assert.That(e1!.Message, Does.Contain("neg.nii").And.Contain("dim[2]"));

        var past = HeaderBuilder.Basic(2, 2, 2, 4, 16).Qform(1, 0, 0, 0, 0, 0, 0).F32(108, 100000);
        var e2 = Assert.Throws<InvalidImageDataException>(() => NiftiFormat.Read(WriteFile("past.nii", past.WithInt16Data(8))));
        Assert.That(e2!.Message, Does.Contain("past.nii").And.Contain("vox_offset"));

        var shortData = HeaderBuilder.Basic(20, 20, 20, 4, 16).Qform(1, 0, 0, 0, 0, 0, 0);
        var e3 = Assert.Throws<InvalidImageDataException>(() => NiftiFormat.Read(WriteFile("short.nii", shortData.WithInt16Data(100))));
        Assert.That(e3!.Message, Does.Contain("short.nii").And.Contain("dim"));

        var rgb = HeaderBuilder.Basic(2, 2, 2, 128, 24).Qform(1, 0, 0, 0, 0, 0, 0);
        var e4 = Assert.Throws<UnsupportedFormatException>(() => NiftiFormat.Read(WriteFile("rgb.nii", rgb.WithInt16Data(12))));
        Assert.That(e4!.Message, Does.Contain("rgb.nii").And.Contain("RGB24"));

        var e5 = Assert.Throws<InvalidImageDataException>(() => NiftiFormat.Read(WriteFile("tiny.nii", new byte[100])));
        Assert.That(e5!.Message, Does.Contain("tiny.nii"));

        var huge = HeaderBuilder.Basic(30000, 30000, 30000, 16, 32).Qform(1, 0, 0, 0, 0, 0, 0);
        var e6 = Assert.Throws<InvalidImageDataException>(() => NiftiFormat.Read(WriteFile("huge.nii", huge.WithInt16Data(8))));
        Assert.That(e6!.Message, Does.Contain("huge.nii"));
    }

    [Test]
    public void TruncatedGzip_RaisesInvalidImageData()
    {
        NiftiFormat.Write(IoTestSupport.Ramp(IoTestSupport.ObliqueGeometry(20, 20, 20)), P("full.nii.gz"));
        var bytes = File.ReadAllBytes(P("full.nii.gz"));
        var path = WriteFile("cut.nii.gz", bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<InvalidImageDataException>(() => NiftiFormat.Read(path));
        Assert.That(ex!.Message, Does.Contain("cut.nii.gz"));
    }

    [Test]
    public void GzipByContent_IsDetectedEvenWithPlainExtension()
    {
        var h = HeaderBuilder.Basic(2, 2, 2, 4, 16).Qform(1, 0, 0, 0, 1, 2, 3);
        using (var fs = File.Create(P("hidden.nii")))
        using (var gz = new GZipStream(fs, CompressionLevel.Fastest))
            gz.Write(h.WithInt16Data(8));
        Assert.That(NiftiFormat.Read(P("hidden.nii")).Geometry.Origin, Is.EqualTo(new Vec3(-1, -2, 3)));
    }
}
