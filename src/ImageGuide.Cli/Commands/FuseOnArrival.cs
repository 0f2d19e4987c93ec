using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ImageGuide.Dicom.Network;
using ImageGuide.Registration;
using ImageGuide.Workflows;

namespace ImageGuide.Cli.Commands;

/// <summary>
/// <c>listen --fuse-to MR</c>: once a series has been quiet (no new instance) for the quiet period, registers it to the
/// planning image with the register workflow (preset auto, verdict), writes the transform, the MR resampled onto the
/// series as a DICOM series and a DICOM Spatial Registration object under <c>FUSED/&lt;SeriesUID&gt;/</c>, and forwards
/// the fused series and the REG with C-STORE. One series is fused at a time; associations go on meanwhile.
/// </summary>
internal sealed class FuseOnArrival : IAsyncDisposable
{
    private sealed class Arrival
    {
        public required string Folder { get; init; }
        public long LastTicks;
        public int Instances;
        public int Runs;
        public bool Pending = true;
    }

    private readonly ConcurrentDictionary<string, Arrival> _series = new();
    private readonly string _moving, _outRoot;
    private readonly DicomPeer? _forward;
    private readonly string _callingAe;
    private readonly TimeSpan _quiet;
    private readonly InitializerKind? _start;
    private readonly Action<Action<Utf8JsonWriter>> _emit;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FuseOnArrival(string moving, string outRoot, DicomPeer? forward, string callingAe, TimeSpan quiet, InitializerKind? start, Action<Action<Utf8JsonWriter>> emit)
    {
        _start = start;
        _moving = moving;
        _outRoot = outRoot;
        _forward = forward;
        _callingAe = callingAe;
        _quiet = quiet;
        _emit = emit;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Notes a filed instance (called from the server's event).</summary>
    public void OnStored(StoredInstance s)
    {
        if (s.Status != DimseStatus.Success || s.Duplicate || s.Path is null) return;
        var a = _series.GetOrAdd(s.SeriesInstanceUid, _ => new Arrival { Folder = Path.GetDirectoryName(s.Path)! });
        lock (a)
        {
            a.LastTicks = Stopwatch.GetTimestamp();
            a.Instances++;
            a.Pending = true;
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try { await Task.Delay(200, _stop.Token); }
            catch (OperationCanceledException) { break; }
            foreach (var (uid, a) in _series)
            {
                int instances;
                long last;
                lock (a)
                {
                    if (!a.Pending || Stopwatch.GetElapsedTime(a.LastTicks) < _quiet) continue;
                    a.Pending = false;
                    a.Runs++;
                    instances = a.Instances;
                    last = a.LastTicks;
                }
                await FuseAsync(uid, a, instances, last);
            }
        }
    }

    private async Task FuseAsync(string seriesUid, Arrival a, int instances, long lastArrival)
    {
        string outDir = Path.Combine(_outRoot, a.Runs == 1 ? seriesUid : $"{seriesUid}-{a.Runs}");
        string transform = Path.Combine(outDir, "transform.tfm"), fused = Path.Combine(outDir, "fused"), reg = Path.Combine(outDir, "reg.dcm");
        Console.Error.WriteLine($"series {seriesUid} complete ({instances} instances, quiet for {_quiet.TotalSeconds:0.#} s): fusing with {_moving}");
        RegisterOutcome? outcome = null;
        string? error = null;
        IReadOnlyList<StoreResult> sent = [];
        string? forwardError = null;
        try
        {
            Directory.CreateDirectory(outDir);
            outcome = await Task.Run(() => RegisterWorkflow.Run(new RegisterJob
            {
                Fixed = a.Folder, Moving = _moving, Transform = transform, Resampled = fused + Path.DirectorySeparatorChar, SpatialRegistration = reg, Start = _start,
            }, null, _stop.Token), _stop.Token);
            if (_forward is not null)
            {
                var files = Directory.EnumerateFiles(fused, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Append(reg).ToList();
                try { sent = await new DicomClient(_forward, _callingAe).StoreAsync(files, null, _stop.Token); }
                catch (DicomNetworkException e) { forwardError = e.Message; }
            }
        }
        catch (OperationCanceledException) { return; }
        catch (Exception e) when (e is ImageGuideException or IOException or UnauthorizedAccessException)
        {
            error = e.Message;
        }
        double seconds = Stopwatch.GetElapsedTime(lastArrival).TotalSeconds;
        int forwardFailed = sent.Count(r => !r.Succeeded);
        forwardError ??= sent.FirstOrDefault(r => !r.Succeeded)?.Message;
        Console.Error.WriteLine(error is not null
            ? $"series {seriesUid}: fusion failed: {error}"
            : $"series {seriesUid}: fused, verdict {outcome!.Result.Verdict}{(_forward is null ? "" : $"; forwarded {sent.Count - forwardFailed} of {sent.Count} to {_forward}{(forwardError is null ? "" : " — " + forwardError)}")}; {seconds:0.0} s after its last instance");
        _emit(w =>
        {
            w.WriteStartObject();
            w.WriteString("event", "fused");
            w.WriteString("seriesInstanceUid", seriesUid);
            w.WriteNumber("instances", instances);
            if (error is not null) w.WriteString("error", error);
            else
            {
                w.WriteString("verdict", outcome!.Result.Verdict.StatusName);
                w.WriteStartArray("reasons");
                foreach (string r in outcome.Result.Verdict.Reasons) w.WriteStringValue(r);
                w.WriteEndArray();
                w.WriteString("preset", outcome.Preset.Name);
                w.WriteString("transform", transform);
                w.WriteString("fused", fused);
                w.WriteString("reg", reg);
            }
            if (_forward is not null)
            {
                w.WriteString("forwardTo", _forward.ToString());
                w.WriteNumber("forwarded", sent.Count - forwardFailed);
                w.WriteNumber("forwardFailed", forwardFailed);
                if (forwardError is not null) w.WriteString("forwardError", forwardError);
            }
            w.WriteNumber("secondsAfterLastInstance", Math.Round(seconds, 2));
            w.WriteEndObject();
        });
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
