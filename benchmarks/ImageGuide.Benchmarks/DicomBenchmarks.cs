using BenchmarkDotNet.Attributes;
using ImageGuide.Dicom.Series;
using ImageGuide.Dicom.Writing;
using ImageGuide.Imaging;
using ImageGuide.IO;

namespace ImageGuide.Benchmarks;

/// <summary>
/// DICOM series I/O: header-only scan and full load of the real Philips CT series (../shared/data), and full load
/// of a 512 × 512 × 300 CT series written by ImageGuide's own writer.
/// </summary>
[MemoryDiagnoser]
public class DicomSeriesBenchmarks
{
    private string _philips = null!;
    private string _written = null!;

    [GlobalSetup]
    public void Setup()
    {
        _philips = BenchmarkData.SharedData("ct-philips-brain-5mm");
        _written = BenchmarkData.WrittenSeries(512, 512, 300);
    }

    [Benchmark]
    public int HeaderScanPhilips() => DicomSeriesScanner.Scan(_philips)[0].Slices.Count;

    [Benchmark]
    public Volume<float> LoadPhilips() => VolumeReader.Read(_philips).Volume;

    [Benchmark]
    public Volume<float> LoadWritten512x512x300() => VolumeReader.Read(_written).Volume;
}

/// <summary>Locations of benchmark inputs; the written series is made once and reused between runs.</summary>
internal static class BenchmarkData
{
    public static string SharedData(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "..", "shared", "data", name);
            if (File.Exists(Path.Combine(d.FullName, "ImageGuide.sln")) && Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new InvalidOperationException($"../shared/data/{name} not found beside the repository; the benchmark needs it.");
    }

    /// <summary>A CT series with smooth anatomy-like content and noise, written by <see cref="DicomSeriesWriter"/>.</summary>
    public static string WrittenSeries(int nx, int ny, int nz)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"imageguide-bench-series-{nx}x{ny}x{nz}");
        if (Directory.Exists(dir) && Directory.GetFiles(dir).Length == nz) return dir;
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        var volume = new Volume<float>(new VolumeGeometry(nx, ny, nz, new Vec3(0.7, 0.7, 1.25), new Vec3(-180, -180, -200)),
            new ImageMetadata { Modality = "CT", Units = "HU", SeriesDescription = "benchmark" });
        Parallel.For(0, nz, k =>
        {
            uint state = (uint)(k * 2654435761u + 1);
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                {
                    state ^= state << 13; state ^= state >> 17; state ^= state << 5;
                    double r = Math.Sqrt((i - nx / 2.0) * (i - nx / 2.0) + (j - ny / 2.0) * (j - ny / 2.0));
                    volume[i, j, k] = (float)Math.Round((r < nx * 0.4 ? 40 + 900 * Math.Exp(-r / 30) : -1000) + (state % 21) - 10);
                }
        });
        DicomSeriesWriter.Write(volume, dir);
        return dir;
    }
}
