using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using ImageGuide.Benchmarks;
using ImageGuide.IO;

// Plain timing verbs for the side-by-side scripts in benchmarks/compare; everything else goes to BenchmarkDotNet.
switch (args)
{
    case ["load", var path, ..]:
        int repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        VolumeReader.Read(path); // warm-up: JIT and page cache
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            var v = VolumeReader.Read(path).Volume;
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            GC.KeepAlive(v);
        }
        Console.WriteLine(best.ToString("F4", CultureInfo.InvariantCulture));
        return 0;
    case ["decode-frames", var folder, ..]:
        // frame 0 of every DICOM file in the folder, decoded on one thread (the codec alone: no header scan, no rescale)
        int times = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var frames = Directory.GetFiles(folder).Select(f => ImageGuide.Dicom.DicomFile.Read(f).GetPixelData()).ToArray();
        var buffer = new byte[frames.Max(f => f.FrameSizeBytes)];
        double fastest = double.MaxValue, fastestCpu = double.MaxValue;
        for (int r = 0; r <= times; r++)
        {
            var sw = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            foreach (var f in frames) f.DecodeFrame(0, buffer);
            if (r > 0) // the first round warms up the JIT
            {
                fastest = Math.Min(fastest, sw.Elapsed.TotalSeconds);
                fastestCpu = Math.Min(fastestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
            }
        }
        // "--cpu" adds the process CPU time of the same round (one decoding thread; robust on a loaded machine)
        Console.WriteLine(args.Contains("--cpu")
            ? string.Create(CultureInfo.InvariantCulture, $"{fastest:F4} {fastestCpu:F4}")
            : fastest.ToString("F4", CultureInfo.InvariantCulture));
        return 0;
    case ["jpeg-speed", ..]:
        JpegBaselineBenchmarks.Measure(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2);
        return 0;
    case ["posture-pair", ..]:
        return PosturePairs.Run(args[1..]);
    case ["write-series", var nx, var ny, var nz]:
        Console.WriteLine(BenchmarkData.WrittenSeries(int.Parse(nx, CultureInfo.InvariantCulture), int.Parse(ny, CultureInfo.InvariantCulture), int.Parse(nz, CultureInfo.InvariantCulture)));
        return 0;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(ResamplingBenchmarks).Assembly).Run(args);
        return 0;
}
