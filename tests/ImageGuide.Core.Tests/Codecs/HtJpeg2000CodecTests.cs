using System.Buffers.Binary;
using System.Diagnostics;
using ImageGuide.Dicom;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

/// <summary>
/// High-Throughput JPEG 2000 (T.814) on real data: the two HTJ2K files of the pydicom corpus against OpenJPEG 2.5
/// (opj_decompress, apt libopenjp2-tools) and against the pixel values pydicom's own tests assert; and real CT slices
/// (12-bit unsigned Philips, 16-bit signed GE) encoded here with OpenJPH (ojph_compress, apt openjph-tools) under
/// several code-block sizes, decomposition levels and progression orders, decoded back bit for bit (lossless) or
/// within one grey level of OpenJPEG (lossy). The tools are required under CI=true and skipped otherwise.
/// </summary>
[TestFixture]
public class HtJpeg2000CodecTests
{
    private const string Folder = "dicom-codecs-enhanced-seg/pydicom-data";

    /// <summary>The path of a command-line tool, or a skip (a failure under CI, where .ci/run installs it).</summary>
    private static string Tool(string name, string package)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        string why = $"{name} is not installed (apt-get install {package}).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(why + " CI must have it: .ci/run installs it.");
        Assert.Ignore(why);
        return name;
    }

    private static void Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, $"{Path.GetFileName(tool)} {string.Join(' ', args)}: {output}");
    }

    /// <summary>OpenJPEG's decode of a codestream: one PGX per component ("PG ML|LM +|- depth width height"), as int samples.</summary>
    private static int[][] OpenJpegDecode(byte[] codestream, string dir, int components)
    {
        string input = Path.Combine(dir, "frame.j2c"), output = Path.Combine(dir, "frame.pgx");
        File.WriteAllBytes(input, codestream);
        Run(Tool("opj_decompress", "libopenjp2-tools"), "-i", input, "-o", output, "-quiet");
        var planes = new int[components][];
        for (int c = 0; c < components; c++)
        {
            string file = components == 1 && File.Exists(output) ? output : Path.Combine(dir, $"frame_{c}.pgx");
            byte[] pgx = File.ReadAllBytes(file);
            int eol = Array.IndexOf(pgx, (byte)'\n');
            string[] h = System.Text.Encoding.ASCII.GetString(pgx, 0, eol).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            bool bigEndian = h[1] == "ML", signed = h[2] == "-";
            int depth = int.Parse(h[3]), count = int.Parse(h[4]) * int.Parse(h[5]), bytes = depth <= 8 ? 1 : 2;
            planes[c] = new int[count];
            for (int i = 0; i < count; i++)
            {
                var s = pgx.AsSpan(eol + 1 + i * bytes, bytes);
                int v = bytes == 1 ? s[0] : bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
                if (signed && bytes == 1 && v >= 128) v -= 256;
                if (signed && bytes == 2 && v >= 32768) v -= 65536;
                planes[c][i] = v;
            }
        }
        return planes;
    }

    /// <summary>The file's frame 0 decoded through the DICOM layer (registry → HTJ2K codec), as stored values (interleaved samples).</summary>
    private static (int[] Values, DicomPixelData Pixels) Decode(string path)
    {
        DicomPixelData pixels = DicomFile.Read(path).GetPixelData();
        var values = new int[pixels.SamplesPerFrame];
        pixels.DecodeFrameStoredValues(0, values);
        return (values, pixels);
    }

    [TestCase("HTJ2KLossless_08_RGB.dcm", TransferSyntaxNames.HtJpeg2000Lossless, 0)]
    [TestCase("HTJ2K_08_RGB.dcm", TransferSyntaxNames.HtJpeg2000, 1)]
    public void PydicomRgbFile_MatchesOpenJpeg(string name, string transferSyntax, int tolerance)
    {
        string path = TestPaths.RequireShared(Path.Combine(Folder, name));
        var (values, pixels) = Decode(path);
        Assert.That(pixels.TransferSyntaxUid, Is.EqualTo(transferSyntax));
        Assert.That((pixels.Format.Rows, pixels.Format.Columns, pixels.Format.SamplesPerPixel), Is.EqualTo((480, 640, 3)));
        byte[] codestream = EncapsulatedPixelData.ReadFrames(File.ReadAllBytes(path), 1)[0];
        string dir = TestPaths.NewTempDir();
        try
        {
            int[][] reference = OpenJpegDecode(codestream, dir, 3);
            int max = 0, differing = 0;
            for (int i = 0; i < values.Length; i++)
            {
                int d = Math.Abs(values[i] - reference[i % 3][i / 3]);
                if (d > 0) differing++;
                max = Math.Max(max, d);
            }
            TestContext.Out.WriteLine($"{name}: max |Δ| to opj_decompress {max}, {differing} of {values.Length} samples differ");
            Assert.That(max, Is.LessThanOrEqualTo(tolerance));
            if (tolerance == 0) Assert.That(differing, Is.Zero);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>
    /// The samples pydicom's own test suite asserts for these files (pydicom tests/pixels/pixels_reference.py,
    /// HTJR_08_08_1_1_1F_RGB and HTJI_08_08_1_1_1F_RGB: row 160, columns 295–304; rows 275–284, column 635): exact for
    /// the lossless file; the lossy one within one grey level (pydicom's values come from another decoder's 9/7 rounding).
    /// </summary>
    [TestCase("HTJ2KLossless_08_RGB.dcm", 0, new[]
    {
        90, 38, 1, 94, 40, 1, 97, 42, 5, 173, 122, 59, 172, 133, 69, 169, 135, 75, 168, 136, 79, 169, 137, 79, 169, 137, 81, 169, 136, 79,
        208, 193, 172, 238, 228, 215, 235, 229, 216, 233, 226, 212, 239, 231, 218, 238, 232, 219, 224, 218, 205, 239, 234, 223, 246, 241, 232, 242, 236, 226,
    })]
    [TestCase("HTJ2K_08_RGB.dcm", 1, new[]
    {
        91, 37, 2, 94, 40, 1, 97, 42, 5, 174, 123, 59, 172, 132, 69, 169, 134, 74, 168, 136, 77, 168, 137, 80, 168, 136, 80, 169, 136, 78,
        207, 193, 171, 238, 229, 215, 235, 228, 216, 233, 226, 213, 238, 231, 218, 239, 232, 219, 225, 218, 206, 240, 234, 223, 247, 240, 232, 242, 236, 227,
    })]
    public void PydicomRgbFile_MatchesPydicomAssertedSamples(string name, int tolerance, int[] expected)
    {
        var (values, _) = Decode(TestPaths.RequireShared(Path.Combine(Folder, name)));
        var actual = new List<int>();
        for (int x = 295; x < 305; x++) for (int s = 0; s < 3; s++) actual.Add(values[(160 * 640 + x) * 3 + s]);
        for (int y = 275; y < 285; y++) for (int s = 0; s < 3; s++) actual.Add(values[(y * 640 + 635) * 3 + s]);
        int max = actual.Select((v, i) => Math.Abs(v - expected[i])).Max();
        TestContext.Out.WriteLine($"{name}: max |Δ| to pydicom's asserted samples {max}");
        Assert.That(actual, Is.EqualTo(expected).Within(tolerance));
    }

    /// <summary>The lossy file is the lossless one coded with 9/7: within the 4 grey levels PROVENANCE.md measured between them.</summary>
    [Test]
    public void LossyFile_StaysNearTheLosslessOne()
    {
        var (lossless, _) = Decode(TestPaths.RequireShared(Path.Combine(Folder, "HTJ2KLossless_08_RGB.dcm")));
        var (lossy, _) = Decode(TestPaths.RequireShared(Path.Combine(Folder, "HTJ2K_08_RGB.dcm")));
        int max = lossless.Select((v, i) => Math.Abs(v - lossy[i])).Max();
        TestContext.Out.WriteLine($"lossy vs lossless: max |Δ| {max}");
        Assert.That(max, Is.InRange(1, 4));
    }

    /// <summary>Real CT slices: 12-bit unsigned (Philips) and 16-bit signed (GE, coded as 16-bit unsigned, see <see cref="EncodeSlice"/>).</summary>
    private static readonly string[] CtSlices = ["ct-philips-brain-5mm/dicom/I10", "ct-ge-gantry-tilt/dicom/01.dcm"];

    /// <summary>
    /// OpenJPH encoder settings: its defaults (5 levels, 64×64 blocks, RPCL), small blocks in LRCP, 32×16 blocks in RLCP
    /// over 2 levels, one level with 4×1024 blocks in CPRL; then several precincts per resolution in RPCL (the order of
    /// the .202 syntax), PCRL and CPRL.
    /// </summary>
    private static readonly string[][] Settings =
    [
        [],
        ["-block_size", "{16,16}", "-prog_order", "LRCP", "-num_decomps", "3"],
        ["-block_size", "{16,32}", "-prog_order", "RLCP", "-num_decomps", "2"],
        ["-block_size", "{4,1024}", "-prog_order", "CPRL", "-num_decomps", "1"],
        ["-precincts", "{64,64},{128,128}"],
        ["-prog_order", "PCRL", "-block_size", "{32,32}", "-precincts", "{32,32},{64,64},{128,128}"],
        ["-prog_order", "CPRL", "-block_size", "{16,16}", "-precincts", "{256,256},{32,32}", "-num_decomps", "4"],
    ];

    private static IEnumerable<TestCaseData> CtCases()
    {
        foreach (string slice in CtSlices)
            for (int s = 0; s < Settings.Length; s++)
                yield return new TestCaseData(slice, s).SetArgDisplayNames(slice, string.Join(' ', Settings[s]));
    }

    /// <summary>Encodes a CT slice's stored values with ojph_compress; returns the codestream and the slice's values and format.</summary>
    private static (byte[] Codestream, int[] Values, DicomPixelFormat Format) EncodeSlice(string slice, string dir, string[] options)
    {
        var (values, pixels) = Decode(TestPaths.RequireShared(slice));
        DicomPixelFormat f = pixels.Format;
        if (f.IsSigned)
        {
            // OpenJPH 0.9's raw reader mis-reads signed samples (opj_decompress gives them back saturated), so signed
            // slices are coded as unsigned with the usual offset: still a full 16-bit codestream
            int offset = 1 << (f.BitsStored - 1);
            values = values.Select(v => v + offset).ToArray();
            f = new DicomPixelFormat(f.Rows, f.Columns, 1, 16, f.BitsStored, f.BitsStored - 1, 0, 0, "MONOCHROME2");
        }
        string raw = Path.Combine(dir, "slice.rawl"), j2c = Path.Combine(dir, "slice.j2c");
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), unchecked((short)values[i]));
        File.WriteAllBytes(raw, bytes);
        string[] args =
        [
            "-i", raw, "-o", j2c, "-dims", $"{{{f.Columns},{f.Rows}}}", "-num_comps", "1", "-signed", f.IsSigned ? "true" : "false",
            "-bit_depth", f.BitsStored.ToString(System.Globalization.CultureInfo.InvariantCulture), "-downsamp", "{1,1}", .. options,
        ];
        Run(Tool("ojph_compress", "openjph-tools"), args);
        return (File.ReadAllBytes(j2c), values, f);
    }

    [TestCaseSource(nameof(CtCases))]
    public void CtSlice_EncodedLosslessByOpenJph_DecodesBitExact(string slice, int setting)
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            var (codestream, values, format) = EncodeSlice(slice, dir, ["-reversible", "true", .. Settings[setting]]);
            var decoded = new byte[format.FrameSizeBytes];
            DicomCodecRegistry.CreateDefault().GetCodec(TransferSyntaxNames.HtJpeg2000Lossless).DecodeFrame(codestream, format, decoded);
            var actual = new int[values.Length];
            for (int i = 0; i < actual.Length; i++)
                actual[i] = format.IsSigned ? BinaryPrimitives.ReadInt16LittleEndian(decoded.AsSpan(2 * i)) : BinaryPrimitives.ReadUInt16LittleEndian(decoded.AsSpan(2 * i));
            TestContext.Out.WriteLine($"{slice} ({format.BitsStored}-bit {(format.IsSigned ? "signed" : "unsigned")}, {values.Min()}…{values.Max()}): {codestream.Length} bytes");
            Assert.That(actual, Is.EqualTo(values));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [TestCaseSource(nameof(CtCases))]
    public void CtSlice_EncodedLossyByOpenJph_MatchesOpenJpeg(string slice, int setting)
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            var (codestream, values, format) = EncodeSlice(slice, dir, ["-qstep", "0.002", .. Settings[setting]]);
            var decoded = new byte[format.FrameSizeBytes];
            DicomCodecRegistry.CreateDefault().GetCodec(TransferSyntaxNames.HtJpeg2000).DecodeFrame(codestream, format, decoded);
            int[] reference = OpenJpegDecode(codestream, dir, 1)[0];
            int max = 0, differing = 0, maxToSource = 0;
            for (int i = 0; i < values.Length; i++)
            {
                int v = format.IsSigned ? BinaryPrimitives.ReadInt16LittleEndian(decoded.AsSpan(2 * i)) : BinaryPrimitives.ReadUInt16LittleEndian(decoded.AsSpan(2 * i));
                int d = Math.Abs(v - reference[i]);
                if (d > 0) differing++;
                max = Math.Max(max, d);
                maxToSource = Math.Max(maxToSource, Math.Abs(v - values[i]));
            }
            TestContext.Out.WriteLine($"{slice}: {codestream.Length} bytes; max |Δ| to opj_decompress {max} ({differing} samples), to the source {maxToSource}");
            Assert.That(max, Is.LessThanOrEqualTo(1));
            Assert.That(maxToSource, Is.GreaterThan(0), "a lossy code must lose something (else the test proves nothing about 9/7)");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

/// <summary>
/// Damaged HTJ2K data: mutated frames through the codec, and garbage, truncated or length-corrupted cleanup and
/// refinement segments fed straight to the HT block decoder (so the MEL, VLC, MagSgn, SigProp and MagRef readers see
/// them): each decodes or throws <see cref="DicomCodecException"/>, nothing else, in bounded time and memory.
/// </summary>
[TestFixture]
public class HtJpeg2000DamagedDataTests
{
    private static readonly DicomPixelFormat Rgb = new(480, 640, 3, 8, 8, 7, 0, 0, "RGB");

    [TestCase("HTJ2KLossless_08_RGB.dcm", 30)]
    [TestCase("HTJ2K_08_RGB.dcm", 30)]
    public void MutatedFramesDecodeOrFailWithATypedError(string name, int attempts)
    {
        string path = TestPaths.RequireShared(Path.Combine("dicom-codecs-enhanced-seg/pydicom-data", name));
        byte[] original = EncapsulatedPixelData.ReadFrames(File.ReadAllBytes(path), 1)[0];
        var codec = new HtJpeg2000Codec();
        var output = new byte[Rgb.FrameSizeBytes];
        codec.DecodeFrame(original, Rgb, output);
        int sod = original.AsSpan().IndexOf(new byte[] { 0xFF, 0x93 }) + 2;
        var random = new Random(name.Length * 7919 + attempts);
        int decoded = 0, refused = 0;
        long budget = 64L * original.Length + (16L << 20);
        for (int i = 0; i < attempts; i++)
        {
            byte[] mutant;
            string what;
            if (i % 3 == 0)
            {
                int cut = sod + random.Next(original.Length - sod);
                mutant = original[..cut];
                what = $"truncated at {cut}";
            }
            else
            {
                mutant = (byte[])original.Clone();
                int flips = 1 + random.Next(6);
                // mostly in the packet data (code-block segments), sometimes anywhere
                for (int k = 0; k < flips; k++)
                    mutant[i % 5 == 0 ? random.Next(mutant.Length) : sod + random.Next(mutant.Length - sod)] ^= (byte)(1 + random.Next(255));
                what = $"{flips} byte flips";
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            try
            {
                codec.DecodeFrame(mutant, Rgb, output);
                decoded++;
            }
            catch (DicomCodecException) { refused++; }
            catch (Exception ex) { Assert.Fail($"{name} mutant {i} ({what}) threw {ex.GetType().Name}: {ex}"); }
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), $"{name} mutant {i} ({what})");
            Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(budget), $"{name} mutant {i} ({what}) allocation");
        }
        TestContext.Out.WriteLine($"{name}: {attempts} mutants, {decoded} decoded, {refused} refused");
        Assert.That(decoded + refused, Is.EqualTo(attempts));
        Assert.That(refused, Is.GreaterThan(0));
    }

    /// <summary>The real code-blocks of the lossless file (dimensions, cleanup segment), read through tier-2.</summary>
    private static List<(int W, int H, byte[] Data, int CleanupLength, int Plane, int Bits)> RealBlocks()
    {
        string path = TestPaths.RequireShared("dicom-codecs-enhanced-seg/pydicom-data/HTJ2KLossless_08_RGB.dcm");
        var cs = J2kCodestream.Parse(EncapsulatedPixelData.ReadFrames(File.ReadAllBytes(path), 1)[0]);
        var blocks = new List<(int, int, byte[], int, int, int)>();
        foreach (var (index, header) in cs.Tiles)
        {
            var tile = new J2kTile(cs, index, header);
            tile.ReadPackets();
            foreach (var (band, block) in tile.CodeBlocks())
                if (block.Passes > 0)
                {
                    int plane = band.Planes - 1 - block.ZeroPlanes;
                    blocks.Add((block.X1 - block.X0, block.Y1 - block.Y0, block.Data.ToArray(), block.Segments[0].End, plane, band.Planes - plane));
                }
        }
        return blocks;
    }

    [Test]
    public void GarbageSegmentsDecodeOrFailWithATypedError()
    {
        var blocks = RealBlocks();
        Assert.That(blocks, Has.Count.GreaterThan(50));
        var decoder = new J2kHtBlockDecoder();
        var random = new Random(15444);
        int decoded = 0, refused = 0;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 3000; i++)
        {
            var (w, h, real, cleanup, plane, bits) = blocks[random.Next(blocks.Count)];
            byte[] data = (byte[])real.Clone();
            int cleanupLength = cleanup, refinementLength = 0, passes = 1 + random.Next(3), refinePlane = plane;
            string what;
            switch (i % 6)
            {
                case 0: random.NextBytes(data); what = "all bytes random"; break;
                case 1: // the MEL/VLC end of the cleanup segment and Scup
                    for (int k = 1; k <= Math.Min(cleanup, 1 + random.Next(12)); k++) data[cleanup - k] = (byte)random.Next(256);
                    what = "MEL/VLC tail random"; break;
                case 2: cleanupLength = 2 + random.Next(Math.Max(1, cleanup - 2)); what = $"cleanup cut to {cleanupLength}"; break;
                case 3: // a refinement segment of garbage after the real cleanup
                    data = [.. real, .. Enumerable.Range(0, 1 + random.Next(200)).Select(_ => (byte)random.Next(256))];
                    refinementLength = data.Length - cleanup; passes = 2 + random.Next(2); refinePlane = Math.Max(plane, 1 + random.Next(8));
                    what = $"{refinementLength} random refinement bytes"; break;
                case 4: // all-FF and all-zero streams
                    Array.Fill(data, random.Next(2) == 0 ? (byte)0xFF : (byte)0); what = "constant bytes"; break;
                default: // claim fewer bit-planes than the data carries
                    bits = random.Next(bits + 1); what = $"{bits} magnitude bits"; break;
            }
            var output = new int[w * h];
            try
            {
                decoder.Decode(w, h, 0, data, cleanupLength, refinementLength, passes, refinePlane, Math.Min(bits, 30 - refinePlane), output);
                decoded++;
            }
            catch (DicomCodecException) { refused++; }
            catch (Exception ex) { Assert.Fail($"block mutant {i} ({what}) threw {ex.GetType().Name}: {ex}"); }
        }
        TestContext.Out.WriteLine($"3000 block mutants: {decoded} decoded, {refused} refused, {watch.ElapsedMilliseconds} ms");
        Assert.That(refused, Is.GreaterThan(0));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }
}

/// <summary>
/// A 2×2 HT code-block built by hand from the stream layout of T.814 clause 7, so the refinement passes (which no real
/// file here exercises: OpenJPH writes cleanup-only blocks) are checked against a worked case. Cleanup segment
/// [00 62 00]: Scup = 2; the MEL bit 0 (state 0: no run, then a 1 event) makes the quad significant; the VLC code 0110
/// (context 0, codeword 0x06, 4 bits) gives ρ = top-left only, u_off = 0, so U = κ = 1 and MagSgn gives one sign bit (0):
/// μ = 1 at the cleanup bit-plane 1. Refinement segment [0D 01]: SigProp, column by column, reads 1 (bottom-left
/// becomes significant), 0 (top-right stays), 1 (bottom-right), then the two signs 1 (−), 0 (+); MagRef reads backward
/// the last byte's first bit, 1, for the top-left sample.
/// </summary>
[TestFixture]
public class HtBlockDecoderHandBuiltTests
{
    private static readonly byte[] Block = [0x00, 0x62, 0x00, 0x0D, 0x01];

    [Test]
    public void CleanupOnly_GivesTheTopLeftMagnitude()
    {
        var output = new int[4];
        new J2kHtBlockDecoder().Decode(2, 2, 0, Block, 3, 2, 1, 1, 4, output);
        // μ = 1 at bit-plane 1: |q| in [2, 4), kept at 3, i.e. 6 half units
        Assert.That(output, Is.EqualTo(new[] { 6, 0, 0, 0 }));
    }

    [Test]
    public void SignificancePropagation_AddsTheNeighboursWithTheirSigns()
    {
        var output = new int[4];
        new J2kHtBlockDecoder().Decode(2, 2, 0, Block, 3, 2, 2, 1, 4, output);
        // row-major: top-left 6; top-right 0; bottom-left −(1.5 = 3 half units); bottom-right +3
        Assert.That(output, Is.EqualTo(new[] { 6, 0, -3, 3 }));
    }

    [Test]
    public void MagnitudeRefinement_RefinesTheCleanupSample()
    {
        var output = new int[4];
        new J2kHtBlockDecoder().Decode(2, 2, 0, Block, 3, 2, 3, 1, 4, output);
        // top-left: bit-plane 0 of its magnitude is 1 → |q| = 3, kept at 3.5 = 7 half units
        Assert.That(output, Is.EqualTo(new[] { 7, 0, -3, 3 }));
    }
}
