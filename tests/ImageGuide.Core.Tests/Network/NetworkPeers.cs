using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ImageGuide.Dicom.Writing;
using ImageGuide.Imaging;

namespace ImageGuide.Tests;

/// <summary>
/// Real DICOM peers for the network tests (shared by the Core and CLI test projects): DCMTK's tools and an Orthanc
/// started on loopback. A missing tool skips the test with a message, and fails it under CI=true (.ci/run installs
/// apt dcmtk and orthanc).
/// </summary>
internal static class NetworkPeers
{
    /// <summary>Full path of <paramref name="tool"/> on PATH; skips (fails under CI) when absent.</summary>
    public static string RequireTool(string tool, string package)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin"))
        {
            string p = Path.Combine(dir, tool);
            if (File.Exists(p)) return p;
        }
        string msg = $"{tool} is not installed (apt-get install {package}).";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(msg + " CI must have it: .ci/run installs it.");
        Assert.Ignore(msg);
        return tool;
    }

    /// <summary>A TCP port free on loopback right now.</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>Runs a tool to completion (killed after <paramref name="timeoutSeconds"/>); returns exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> args, int timeoutSeconds = 60)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {timeoutSeconds} s");
        }
        return (p.ExitCode, o.Result + e.Result);
    }

    /// <summary>Bytes of the data set of a Part 10 file: everything after the File Meta group, whose length (0002,0000) says where it ends.</summary>
    public static byte[] DatasetBytes(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        Assert.That(b.AsSpan(128, 4).SequenceEqual("DICM"u8), $"{path} has no DICM preamble");
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(132)) == 2 && BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(134)) == 0, $"{path} lacks (0002,0000)");
        int end = 132 + 12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(140));
        return b[end..];
    }

    /// <summary>Writes a small CT or MR series (seeded noise, <paramref name="slices"/> slices of 32 × 24) into a new folder; returns the files.</summary>
    public static IReadOnlyList<string> WriteSeries(string folder, string modality, int slices, int seed, string? studyUid = null, string patientId = "NET-1")
    {
        var g = new VolumeGeometry(32, 24, slices, new Vec3(1, 1, 2), new Vec3(-16, -12, 0));
        var data = new short[g.VoxelCount];
        var rng = new Random(seed);
        for (int i = 0; i < data.Length; i++) data[i] = (short)rng.Next(-1000, 3000);
        return DicomSeriesWriter.Write(new Volume<short>(g, data), folder, new DicomSeriesWriterOptions
        {
            Modality = modality, PatientName = "NETWORK^TEST", PatientId = patientId, StudyInstanceUid = studyUid, SeriesDescription = $"{modality} network test",
        });
    }

    /// <summary>An Orthanc server on free loopback ports with its own temporary storage; killed on dispose.</summary>
    public sealed class Orthanc : IDisposable
    {
        private readonly Process _process;
        private readonly string _dir;
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

        public int DicomPort { get; }
        public int HttpPort { get; }
        public const string AeTitle = "ORTHANC";
        public string Address => $"{AeTitle}@127.0.0.1:{DicomPort}";

        /// <summary>Starts Orthanc knowing <paramref name="modalities"/> (AE title → port on loopback) as C-MOVE destinations.</summary>
        public Orthanc(string tempRoot, IReadOnlyDictionary<string, int>? modalities = null)
        {
            string exe = RequireTool("Orthanc", "orthanc");
            _dir = Path.Combine(tempRoot, "orthanc");
            Directory.CreateDirectory(_dir);
            DicomPort = FreePort();
            HttpPort = FreePort();
            var config = new Dictionary<string, object>
            {
                ["Name"] = "ImageGuideTest", ["DicomAet"] = AeTitle, ["DicomPort"] = DicomPort, ["HttpPort"] = HttpPort,
                ["StorageDirectory"] = Path.Combine(_dir, "db"), ["IndexDirectory"] = Path.Combine(_dir, "db"),
                ["RemoteAccessAllowed"] = false, ["AuthenticationEnabled"] = false, ["Plugins"] = Array.Empty<string>(),
                ["DicomCheckCalledAet"] = true, ["DicomAlwaysAllowEcho"] = true, ["DicomAlwaysAllowStore"] = true,
                ["DicomModalities"] = (modalities ?? new Dictionary<string, int>()).ToDictionary(m => m.Key.ToLowerInvariant(), m => new object[] { m.Key, "127.0.0.1", m.Value }),
                ["DicomCheckModalityHost"] = false, ["HttpServerEnabled"] = true, ["StableAge"] = 1,
            };
            string configPath = Path.Combine(_dir, "orthanc.json");
            File.WriteAllText(configPath, JsonSerializer.Serialize(config));
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(configPath);
            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if (Http.GetAsync($"http://127.0.0.1:{HttpPort}/system").Result.IsSuccessStatusCode) break;
                }
                catch (AggregateException) { }
                if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(20))
                {
                    Dispose();
                    Assert.Fail($"Orthanc did not start on ports {DicomPort}/{HttpPort} within 20 s");
                }
                Thread.Sleep(100);
            }
        }

        /// <summary>GET a REST resource as JSON.</summary>
        public JsonElement Get(string resource)
        {
            string text = Http.GetStringAsync($"http://127.0.0.1:{HttpPort}{resource}").Result;
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        /// <summary>The stored file of an instance (by SOP Instance UID).</summary>
        public byte[] InstanceFile(string sopInstanceUid)
        {
            var found = JsonDocument.Parse(Http.PostAsync($"http://127.0.0.1:{HttpPort}/tools/lookup", new StringContent(sopInstanceUid)).Result.Content.ReadAsStringAsync().Result).RootElement;
            Assert.That(found.GetArrayLength(), Is.EqualTo(1), $"Orthanc does not hold {sopInstanceUid}");
            return Http.GetByteArrayAsync($"http://127.0.0.1:{HttpPort}/instances/{found[0].GetProperty("ID").GetString()}/file").Result;
        }

        public void Dispose()
        {
            try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }

    /// <summary>A background tool process (e.g. storescp) killed on dispose.</summary>
    public sealed class Background : IDisposable
    {
        private readonly Process _p;
        private readonly System.Text.StringBuilder _log = new();

        public Background(string file, params string[] args)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            _p = Process.Start(psi)!;
            _p.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            _p.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            _p.BeginOutputReadLine();
            _p.BeginErrorReadLine();
        }

        public string Log { get { lock (_log) return _log.ToString(); } }

        /// <summary>Waits until something accepts connections on <paramref name="port"/>.</summary>
        public void WaitForPort(int port, int seconds = 20)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                if (_p.HasExited) Assert.Fail($"{_p.StartInfo.FileName} exited with {_p.ExitCode}: {Log}");
                try { using var c = new TcpClient(); c.Connect(IPAddress.Loopback, port); return; }
                catch (SocketException) { Thread.Sleep(50); }
            }
            Assert.Fail($"{_p.StartInfo.FileName} did not listen on {port} within {seconds} s: {Log}");
        }

        public void Dispose()
        {
            try { if (!_p.HasExited) { _p.Kill(entireProcessTree: true); _p.WaitForExit(5000); } }
            catch (InvalidOperationException) { }
            _p.Dispose();
        }
    }
}
