using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Encodings.Web;
using System.Text.Json;
using ImageGuide.Dicom;
using ImageGuide.Dicom.Network;

namespace ImageGuide.Cli.Commands;

/// <summary>
/// DICOM networking: <c>listen</c> (Storage SCP), <c>echo</c>, <c>send</c>, <c>query</c>, <c>retrieve</c> (SCU).
/// Network failures exit with <see cref="ExitCodes.NetworkFailure"/>.
/// </summary>
internal static class NetworkCommands
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Option<string> To() => new("--to") { Description = "The peer, AE@HOST:PORT (e.g. PACS@127.0.0.1:4242)", Required = true };

    private static Option<string> CallingAe() => new("--calling-ae") { Description = "This side's AE title", DefaultValueFactory = _ => "IMAGEGUIDE" };

    private static Option<double> Timeout() => new("--timeout") { Description = "DIMSE and ARTIM timeout, seconds (default 60 and 30)", DefaultValueFactory = _ => 0 };

    private static DicomNetworkSettings Settings(double timeoutSeconds)
    {
        if (timeoutSeconds == 0) return DicomNetworkSettings.Default;
        if (!(timeoutSeconds > 0 && timeoutSeconds <= 86400)) throw new UsageException("--timeout must lie in (0, 86400] seconds.");
        var t = TimeSpan.FromSeconds(timeoutSeconds);
        return DicomNetworkSettings.Default with { DimseTimeout = t, ArtimTimeout = t, ConnectTimeout = t };
    }

    private static DicomClient Client(ParseResult parse, Option<string> to, Option<string> calling, Option<double> timeout)
    {
        try { return new DicomClient(DicomPeer.Parse(parse.GetValue(to)!), parse.GetValue(calling)!, Settings(parse.GetValue(timeout))); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary><c>imageguide listen --port N --ae-title T --out DIR [--json]</c>.</summary>
    public static Command Listen()
    {
        var port = new Option<int>("--port") { Description = "TCP port (0: a free one, printed on stderr)", Required = true };
        var ae = new Option<string>("--ae-title") { Description = "This SCP's AE title; associations calling another are rejected", DefaultValueFactory = _ => "IMAGEGUIDE" };
        var output = new Option<string>("--out") { Description = "Folder receiving <StudyUID>/<SeriesUID>/<SOPInstanceUID>.dcm (created; existing files are never replaced)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON line per stored instance on stdout" };
        var bind = new Option<string>("--bind") { Description = "Address to listen on (default all interfaces)", DefaultValueFactory = _ => "0.0.0.0" };
        var maxAssociations = new Option<int>("--max-associations") { Description = "Associations served at once (default 32)", DefaultValueFactory = _ => 32 };
        var timeout = Timeout();
        var fuseTo = new Option<string>("--fuse-to") { Description = "Planning image (MR series folder or volume file): register every completed series to it (preset auto, verdict)" };
        var fuseOut = new Option<string>("--fuse-out") { Description = "Folder for the fusion results, one sub-folder per series (default: <--out>-fused)" };
        var forward = new Option<string>("--forward") { Description = "With --fuse-to: send the fused series and the REG to AE@HOST:PORT" };
        var fuseStart = new Option<string?>("--fuse-start") { Description = "With --fuse-to: the registration's start, as register --start (default: the preset's, auto)" };
        var quiet = new Option<double>("--quiet") { Description = "With --fuse-to: seconds without a new instance after which a series counts as complete (default 10)", DefaultValueFactory = _ => 10 };
        var cmd = new Command("listen", "Storage SCP: receive instances by C-STORE (and answer C-ECHO), filed by study and series, until Ctrl-C; with --fuse-to, fuse each completed series and forward the results")
            { port, ae, output, json, bind, maxAssociations, timeout, fuseTo, fuseOut, forward, fuseStart, quiet };
        cmd.SetAction(async (parse, ct) =>
        {
            int p = parse.GetValue(port);
            if (p is < 0 or > 65535) throw new UsageException("--port must lie in 0–65535.");
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address)) throw new UsageException($"--bind '{parse.GetValue(bind)}' is not an IP address.");
            string title = parse.GetValue(ae)!;
            try { DicomNetworkSettings.ValidateAeTitle(title, "--ae-title"); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            if (parse.GetValue(maxAssociations) < 1) throw new UsageException("--max-associations must be at least 1.");
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            if (File.Exists(folder)) throw new UsageException($"--out {folder} is a file; give a folder.");
            bool asJson = parse.GetValue(json);
            string? moving = parse.GetValue(fuseTo);
            DicomPeer? forwardTo = null;
            if (parse.GetValue(forward) is { } fw)
            {
                if (moving is null) throw new UsageException("--forward needs --fuse-to.");
                try { forwardTo = DicomPeer.Parse(fw); } catch (ArgumentException e) { throw new UsageException(e.Message); }
            }
            var startKind = RegisterCommand.StartKind(parse.GetValue(fuseStart));
            double quietSeconds = parse.GetValue(quiet);
            if (!(quietSeconds > 0 && quietSeconds <= 3600)) throw new UsageException("--quiet must lie in (0, 3600] seconds.");
            if (moving is not null && !File.Exists(moving) && !Directory.Exists(moving)) throw new ImageGuideException($"--fuse-to {moving} does not exist.");
            string fusedRoot = Path.GetFullPath(parse.GetValue(fuseOut) ?? folder.TrimEnd(Path.DirectorySeparatorChar) + "-fused");
            if (moving is not null && (fusedRoot == folder || fusedRoot.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                throw new UsageException("--fuse-out must not lie inside --out (results would be filed as incoming series).");
            var options = new DicomStorageServerOptions
            {
                AeTitle = title, OutputDirectory = folder, Port = p, Address = address,
                MaxAssociations = parse.GetValue(maxAssociations), Settings = Settings(parse.GetValue(timeout)),
            };
            DicomStorageServer server;
            try { server = DicomStorageServer.Start(options); }
            catch (SocketException e) { throw new DicomNetworkException($"cannot listen on {address}:{p}: {e.Message}", e); }
            var gate = new object();
            var stdout = Console.OpenStandardOutput();
            server.InstanceStored += s =>
            {
                lock (gate)
                {
                    if (asJson)
                    {
                        using (var w = new Utf8JsonWriter(stdout, JsonOptions)) WriteStored(w, s);
                        stdout.Write("\n"u8);
                        stdout.Flush();
                    }
                    else if (s.Status != DimseStatus.Success)
                        Console.Error.WriteLine($"refused {s.SopInstanceUid} from {s.CallingAeTitle}: {s.Message}");
                }
            };
            server.AssociationEnded += a =>
            {
                lock (gate)
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"association {a.CallingAeTitle}@{a.Remote} {a.Outcome} after {a.Duration.TotalSeconds:0.00} s: {a.Stored} stored, {a.Failed} refused, {a.Echoes} echo(es){(a.Error is null ? "" : " — " + a.Error)}"));
            };
            FuseOnArrival? fusion = null;
            if (moving is not null)
            {
                fusion = new FuseOnArrival(Path.GetFullPath(moving), fusedRoot, forwardTo, title, TimeSpan.FromSeconds(quietSeconds), startKind, write =>
                {
                    if (!asJson) return;
                    lock (gate)
                    {
                        using (var w = new Utf8JsonWriter(stdout, JsonOptions)) write(w);
                        stdout.Write("\n"u8);
                        stdout.Flush();
                    }
                });
                server.InstanceStored += fusion.OnStored;
            }
            Console.Error.WriteLine($"listening on {address}:{server.Port} as {title}, filing into {folder}" + (moving is null ? "" : $", fusing completed series with {moving} into {fusedRoot}"));
            try { await Task.Delay(System.Threading.Timeout.Infinite, ct); }
            catch (OperationCanceledException) { }
            await server.DisposeAsync();
            if (fusion is not null) await fusion.DisposeAsync();
            Console.Error.WriteLine("stopped");
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static void WriteStored(Utf8JsonWriter w, StoredInstance s)
    {
        w.WriteStartObject();
        w.WriteString("status", s.Status == DimseStatus.Success ? (s.Duplicate ? "duplicate" : "stored") : "refused");
        w.WriteString("path", s.Path);
        w.WriteString("sopInstanceUid", s.SopInstanceUid);
        w.WriteString("sopClassUid", s.SopClassUid);
        w.WriteString("studyInstanceUid", s.StudyInstanceUid);
        w.WriteString("seriesInstanceUid", s.SeriesInstanceUid);
        w.WriteString("callingAeTitle", s.CallingAeTitle);
        w.WriteString("transferSyntaxUid", s.TransferSyntaxUid);
        w.WriteNumber("bytes", s.DatasetBytes);
        w.WriteString("dimseStatus", $"0x{s.Status:X4}");
        if (s.Message is not null) w.WriteString("message", s.Message);
        w.WriteEndObject();
    }

    private static Utf8JsonWriter Json(Stream stdout) => new(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary><c>imageguide echo --to AE@HOST:PORT [--calling-ae T]</c>.</summary>
    public static Command Echo()
    {
        var to = To();
        var calling = CallingAe();
        var timeout = Timeout();
        var cmd = new Command("echo", "C-ECHO: check that a DICOM peer answers (prints {peer, ok, milliseconds})") { to, calling, timeout };
        cmd.SetAction(async (parse, ct) =>
        {
            var client = Client(parse, to, calling, timeout);
            var elapsed = await client.EchoAsync(ct);
            using var stdout = Console.OpenStandardOutput();
            using (var w = Json(stdout))
            {
                w.WriteStartObject();
                w.WriteString("peer", parse.GetValue(to));
                w.WriteBoolean("ok", true);
                w.WriteNumber("milliseconds", Math.Round(elapsed.TotalMilliseconds, 1));
                w.WriteEndObject();
            }
            stdout.Write("\n"u8);
            return ExitCodes.Success;
        });
        return cmd;
    }

    /// <summary><c>imageguide send PATH... --to AE@HOST:PORT</c>.</summary>
    public static Command Send()
    {
        var paths = new Argument<string[]>("paths") { Description = "DICOM Part 10 files or folders (recursive)", Arity = ArgumentArity.OneOrMore };
        var to = To();
        var calling = CallingAe();
        var timeout = Timeout();
        var cmd = new Command("send", "C-STORE: send DICOM files to a peer, each as it is (prints {peer, sent, failed, instances[]}); exit 5 if any was refused")
            { paths, to, calling, timeout };
        cmd.SetAction(async (parse, ct) =>
        {
            var client = Client(parse, to, calling, timeout);
            var files = new List<string>();
            foreach (string p in parse.GetValue(paths)!)
            {
                if (File.Exists(p)) files.Add(p);
                else if (Directory.Exists(p))
                    files.AddRange(Directory.EnumerateFiles(p, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
                        .Where(IsPartTen).Order(StringComparer.Ordinal));
                else throw new ImageGuideException($"{p} does not exist.");
            }
            if (files.Count == 0) throw new ImageGuideException("no DICOM Part 10 file (with a DICM preamble) found to send.");
            var results = await client.StoreAsync(files, null, ct);
            int failed = results.Count(r => !r.Succeeded);
            using var stdout = Console.OpenStandardOutput();
            using (var w = Json(stdout))
            {
                w.WriteStartObject();
                w.WriteString("peer", parse.GetValue(to));
                w.WriteNumber("sent", results.Count - failed);
                w.WriteNumber("failed", failed);
                w.WriteStartArray("instances");
                foreach (var r in results)
                {
                    w.WriteStartObject();
                    w.WriteString("path", r.Path);
                    w.WriteString("sopInstanceUid", r.SopInstanceUid);
                    if (r.Status is { } s) w.WriteString("dimseStatus", $"0x{s:X4}"); else w.WriteNull("dimseStatus");
                    w.WriteBoolean("ok", r.Succeeded);
                    if (r.Message is not null) w.WriteString("message", r.Message);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            stdout.Write("\n"u8);
            if (failed > 0) Console.Error.WriteLine($"error: {failed} of {results.Count} instance(s) were not stored: {results.First(r => !r.Succeeded).Message}");
            return failed > 0 ? ExitCodes.NetworkFailure : ExitCodes.Success;
        });
        return cmd;
    }

    private static bool IsPartTen(string path)
    {
        try
        {
            using var fs = File.OpenRead(path);
            Span<byte> head = stackalloc byte[132];
            return fs.ReadAtLeast(head, 132, throwOnEndOfStream: false) == 132 && head[128..].SequenceEqual("DICM"u8);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    private static readonly Dictionary<string, DicomTag> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PatientName"] = new(0x0010, 0x0010), ["PatientID"] = new(0x0010, 0x0020), ["PatientBirthDate"] = new(0x0010, 0x0030),
        ["PatientSex"] = new(0x0010, 0x0040), ["StudyInstanceUID"] = new(0x0020, 0x000D), ["SeriesInstanceUID"] = new(0x0020, 0x000E),
        ["SOPInstanceUID"] = new(0x0008, 0x0018), ["SOPClassUID"] = new(0x0008, 0x0016), ["StudyDate"] = new(0x0008, 0x0020),
        ["StudyTime"] = new(0x0008, 0x0030), ["AccessionNumber"] = new(0x0008, 0x0050), ["Modality"] = new(0x0008, 0x0060),
        ["ModalitiesInStudy"] = new(0x0008, 0x0061), ["StudyDescription"] = new(0x0008, 0x1030), ["SeriesDescription"] = new(0x0008, 0x103E),
        ["StudyID"] = new(0x0020, 0x0010), ["SeriesNumber"] = new(0x0020, 0x0011), ["InstanceNumber"] = new(0x0020, 0x0013),
        ["NumberOfPatientRelatedStudies"] = new(0x0020, 0x1200), ["NumberOfStudyRelatedInstances"] = new(0x0020, 0x1208),
        ["NumberOfSeriesRelatedInstances"] = new(0x0020, 0x1209), ["SeriesDate"] = new(0x0008, 0x0021),
    };

    private static DicomQuery Query(string level, string[]? keys, bool defaults)
    {
        var l = level.ToLowerInvariant() switch
        {
            "patient" => QueryLevel.Patient, "study" => QueryLevel.Study, "series" => QueryLevel.Series, "image" => QueryLevel.Image,
            _ => throw new UsageException($"--level '{level}': use patient, study, series or image."),
        };
        var q = defaults ? DicomQuery.Default(l) : new DicomQuery(l);
        foreach (string k in keys ?? [])
        {
            int eq = k.IndexOf('=');
            string name = eq < 0 ? k : k[..eq], value = eq < 0 ? "" : k[(eq + 1)..];
            DicomTag tag;
            if (Keywords.TryGetValue(name, out var known)) tag = known;
            else if (name.Length == 9 && name[4] == ',' && ushort.TryParse(name[..4], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ushort g)
                && ushort.TryParse(name[5..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ushort e)) tag = new DicomTag(g, e);
            else throw new UsageException($"--key '{k}': name a keyword ({string.Join(", ", Keywords.Keys.Take(6))}, …) or a tag gggg,eeee, then =VALUE (empty: a return key).");
            try { q.Set(tag, value); }
            catch (ArgumentException ex) { throw new UsageException($"--key '{k}': {ex.Message}"); }
        }
        return q;
    }

    private static string KeyName(DicomTag tag)
    {
        foreach (var (name, t) in Keywords) if (t == tag) return name;
        return $"{tag.Group:X4}{tag.Element:X4}";
    }

    /// <summary><c>imageguide query --to AE@HOST:PORT --level L [--key K=V ...]</c>.</summary>
    public static Command QueryCommand()
    {
        var to = To();
        var calling = CallingAe();
        var timeout = Timeout();
        var level = new Option<string>("--level") { Description = "patient, study, series or image", DefaultValueFactory = _ => "study" };
        var keys = new Option<string[]>("--key") { Description = "Matching key KEYWORD=VALUE or gggg,eeee=VALUE (wildcards * ?), or a return key KEYWORD; repeatable", AllowMultipleArgumentsPerToken = false };
        var cmd = new Command("query", "C-FIND: query a peer (PACS) at patient, study, series or image level (prints {peer, level, matches[]})")
            { to, calling, level, keys, timeout };
        cmd.SetAction(async (parse, ct) =>
        {
            var client = Client(parse, to, calling, timeout);
            var q = Query(parse.GetValue(level)!, parse.GetValue(keys), defaults: true);
            var matches = await client.FindAsync(q, ct);
            using var stdout = Console.OpenStandardOutput();
            using (var w = Json(stdout))
            {
                w.WriteStartObject();
                w.WriteString("peer", parse.GetValue(to));
                w.WriteString("level", q.LevelText);
                w.WriteStartArray("matches");
                foreach (var m in matches)
                {
                    w.WriteStartObject();
                    foreach (var tag in q.Keys.Keys)
                        if (m.TryGetString(tag, out var v)) w.WriteString(KeyName(tag), v); else w.WriteNull(KeyName(tag));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            stdout.Write("\n"u8);
            return ExitCodes.Success;
        });
        return cmd;
    }

    /// <summary><c>imageguide retrieve --to AE@HOST:PORT --level L --key K=V (--move-to AE | --out DIR)</c>.</summary>
    public static Command Retrieve()
    {
        var to = To();
        var calling = CallingAe();
        var timeout = Timeout();
        var level = new Option<string>("--level") { Description = "patient, study, series or image", DefaultValueFactory = _ => "study" };
        var keys = new Option<string[]>("--key") { Description = "Unique key(s) of what to retrieve, e.g. StudyInstanceUID=1.2.3; repeatable", Required = true };
        var moveTo = new Option<string>("--move-to") { Description = "C-MOVE: the AE title the peer sends to (the peer must know its address)" };
        var output = new Option<string>("--out") { Description = "C-GET: receive on this association and file into this folder by study and series" };
        var cmd = new Command("retrieve", "C-MOVE (--move-to AE) or C-GET (--out DIR) from a peer (prints {peer, method, status, completed, failed, warning, received[]}); exit 5 if a sub-operation failed")
            { to, calling, level, keys, moveTo, output, timeout };
        cmd.SetAction(async (parse, ct) =>
        {
            var client = Client(parse, to, calling, timeout);
            string? dest = parse.GetValue(moveTo), folder = parse.GetValue(output);
            if ((dest is null) == (folder is null)) throw new UsageException("give exactly one of --move-to AE (C-MOVE) and --out DIR (C-GET).");
            var q = Query(parse.GetValue(level)!, parse.GetValue(keys), defaults: false);
            if (q.Keys.Count == 0) throw new UsageException("--key: name what to retrieve, e.g. --key StudyInstanceUID=1.2.3.");
            RetrieveResult r;
            if (dest is not null)
            {
                try { DicomNetworkSettings.ValidateAeTitle(dest, "--move-to"); }
                catch (ArgumentException e) { throw new UsageException(e.Message); }
                r = await client.MoveAsync(dest, q, ct);
            }
            else r = await client.GetAsync(q, Path.GetFullPath(folder!), ct);
            using var stdout = Console.OpenStandardOutput();
            using (var w = Json(stdout))
            {
                w.WriteStartObject();
                w.WriteString("peer", parse.GetValue(to));
                w.WriteString("method", dest is null ? "C-GET" : "C-MOVE");
                w.WriteString("dimseStatus", $"0x{r.Status:X4}");
                w.WriteString("status", DimseStatus.Describe(r.Status));
                w.WriteNumber("completed", r.Completed);
                w.WriteNumber("failed", r.Failed);
                w.WriteNumber("warning", r.Warning);
                if (r.ErrorComment is not null) w.WriteString("message", r.ErrorComment);
                w.WriteStartArray("received");
                foreach (var s in r.Received) WriteStored(w, s);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            stdout.Write("\n"u8);
            if (!r.Succeeded) Console.Error.WriteLine($"error: the retrieve ended with status 0x{r.Status:X4} ({DimseStatus.Describe(r.Status)}), {r.Failed} sub-operation(s) failed{(r.ErrorComment is null ? "" : ": " + r.ErrorComment)}.");
            return r.Succeeded ? ExitCodes.Success : ExitCodes.NetworkFailure;
        });
        return cmd;
    }
}
