using System.Text.Json;
using ImageGuide.Files;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// A manifest file read as a stream (<see cref="ValidationManifestReader.Open"/>): opening it checks every case once,
/// keeping only the ids (for the uniqueness check) and the top-level settings; <see cref="Cases"/> then reads the cases
/// again one at a time. The schema is <see cref="ValidationManifestReader"/>'s; the top-level settings may come before
/// or after the <c>cases</c> array.
/// </summary>
public sealed class ValidationManifestFile
{
    private readonly string _baseDirectory;

    private ValidationManifestFile(string source, string path, int trePointCount, int seed, int caseCount, string sha256)
    {
        Source = source;
        FullPath = path;
        _baseDirectory = Path.GetDirectoryName(path)!;
        TrePointCount = trePointCount;
        Seed = seed;
        CaseCount = caseCount;
        Sha256 = sha256;
    }

    /// <summary>The manifest path as given (messages; its file name titles the report).</summary>
    public string Source { get; }

    /// <summary>The manifest's full path.</summary>
    public string FullPath { get; }

    /// <summary>Random fixed-foreground points per ground-truth-transform case.</summary>
    public int TrePointCount { get; }

    /// <summary>Seed of those points (each case adds its index).</summary>
    public int Seed { get; }

    /// <summary>Cases in the manifest.</summary>
    public int CaseCount { get; }

    /// <summary>SHA-256 of the file's bytes (lower-case hex): shards of one run must have read the same manifest.</summary>
    public string Sha256 { get; }

    internal static ValidationManifestFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ValidationException($"{path}: the manifest file does not exist.");
        int points = 1000, seed = 1, count = 0;
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        bool sawCases = false;
        string sha = Walk(path, full, item =>
        {
            using var doc = item.Value;
            var e = doc.RootElement;
            switch (item.Member)
            {
                case "cases" when item.ElementIndex >= 0:
                    var c = ValidationManifestReader.ParseCase(e, item.ElementIndex, Path.GetDirectoryName(full)!, path);
                    if (!ids.Add(c.Id)) throw new ValidationException($"{path}: case '{c.Id}' (index {item.ElementIndex}): field 'id' repeats an earlier case's id; ids must be unique.");
                    count++;
                    sawCases = true;
                    break;
                case "cases":
                    throw new ValidationException($"{path}: no 'cases' array.");
                case "version":
                    if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v) || v != 1)
                        throw new ValidationException($"{path}: 'version' must be 1 (the only manifest version this ImageGuide reads).");
                    break;
                case "trePoints":
                    points = Int(e, "trePoints", 1, 1_000_000, path);
                    break;
                case "seed":
                    seed = Int(e, "seed", 0, int.MaxValue, path);
                    break;
                default:
                    throw new ValidationException($"{path}: top level: unknown field '{item.Member}'; known fields are {string.Join(", ", ValidationManifestReader.TopKeys)}.");
            }
        }, out bool casesMember);
        if (!casesMember) throw new ValidationException($"{path}: no 'cases' array.");
        if (!sawCases) throw new ValidationException($"{path}: 'cases' is empty; add at least one case.");
        return new ValidationManifestFile(path, full, points, seed, count, sha);
    }

    /// <summary>
    /// The cases of <paramref name="shard"/> in manifest order, read one at a time (each case is parsed only when its
    /// id belongs to the shard).
    /// </summary>
    /// <exception cref="ValidationException">The file changed since it was opened.</exception>
    public IEnumerable<ValidationCase> Cases(ValidationShard shard)
    {
        using var stream = OpenStream(Source, FullPath);
        using var walker = new StreamedJsonCases(stream, Source, "cases");
        while (walker.Next(out var item))
        {
            ValidationCase? c = null;
            using (var doc = item.Value)
            {
                if (item.ElementIndex < 0 || item.Member != "cases") continue;
                var e = doc.RootElement;
                if (!shard.IsWhole && e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && !shard.Contains(id.GetString()!)) continue;
                c = ValidationManifestReader.ParseCase(e, item.ElementIndex, _baseDirectory, Source);
            }
            yield return c;
        }
        if (walker.Sha256() != Sha256)
            throw new ValidationException($"{Source}: the manifest changed while the run was reading it; rerun with the same --out to resume with the new manifest.");
    }

    private static string Walk(string source, string full, Action<StreamedJsonCases.Item> onItem, out bool casesMember)
    {
        casesMember = false;
        using var stream = OpenStream(source, full);
        using var walker = new StreamedJsonCases(stream, source, "cases");
        while (walker.Next(out var item)) onItem(item);
        casesMember = walker.SawArray;
        return walker.Sha256();
    }

    private static FileStream OpenStream(string source, string full)
    {
        // a FIFO, device or socket is never opened (it could block or never end); the length is not capped, as a
        // streamed manifest may be long — each case is (StreamedJsonCases.MaxValueBytes)
        try { InputFile.RequireRegular(full); }
        catch (ImageGuideException e) { throw new ValidationException($"{source}: {e.Message}", e); }
        try { return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ValidationException($"{source}: cannot read the manifest ({e.Message}).", e);
        }
    }

    private static int Int(JsonElement e, string key, int min, int max, string source) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) && v >= min && v <= max ? v
            : throw new ValidationException($"{source}: top level: field '{key}' must be a whole number from {min} to {max}.");
}
