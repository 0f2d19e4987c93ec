using System.Text.Json;
using ImageGuide.Files;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Registration;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// Reads validation manifests (JSON). Schema, version 1:
/// <code>
/// {
///   "version": 1,
///   "trePoints": 1000,              // optional: random foreground points per ground-truth-transform case
///   "seed": 1,                      // optional: seed of those points
///   "cases": [
///     { "id": "rire-001-ct-t1",                          // unique; letters, digits, '.', '_', '-'
///       "fixed": "ct/001.mha", "moving": "mr/001.nii.gz",  // DICOM folder or volume file
///       "fixedMask": "ct/001-mask.mha",                   // optional (also "movingMask")
///       "fovMask": false,                                 // optional: sample only the fixed field of view (CBCT)
///       "fixedLandmarks": "ct/001.pts", "movingLandmarks": "mr/001.pts",   // either landmark pairs …
///       "groundTruthTransform": "truth/001.tfm",          // … or a fixed → moving transform
///       "preset": "ct-mr",                                // preset name, preset JSON file, or auto (the default:
///                                                         // chosen from the two images, PresetSelection)
///       "perVertebra": { "fixedLabels": "ct/001-vertebrae.nii.gz",   // optional: also refine per vertebra and report
///                        "labelTable": "…", "labelScheme": "auto",   // TRE per level (global vs per vertebra); without
///                        "anchor": "L5" },                           // fixedLabels the vertebrae are found on the CT
///       "tags": { "pair": "CT-MR", "site": "head" } },
///     { "id": "phantom-3-cbct-mr",                        // a phantom generated in memory, its own ground truth
///       "phantom": { "seed": 3, "fixed": "Cbct", "moving": "MrT1", "size": "small" },
///       "preset": "cbct-mr", "tags": { "pair": "CBCT-MR", "site": "spine" } }
///   ]
/// }
/// </code>
/// Paths are relative to the manifest's folder. Every error names the manifest, the case (id and index) and the field.
/// </summary>
public static class ValidationManifestReader
{
    internal static readonly HashSet<string> TopKeys = ["version", "trePoints", "seed", "cases"];
    private static readonly HashSet<string> CaseKeys =
        ["id", "phantom", "fixed", "moving", "fixedMask", "movingMask", "fovMask", "fixedLandmarks", "movingLandmarks", "groundTruthTransform", "preset", "tags",
         "perVertebra"];
    private static readonly HashSet<string> PhantomKeys = ["seed", "fixed", "moving", "size"];
    private static readonly HashSet<string> TagKeys = ["pair", "site"];
    private static readonly HashSet<string> PerVertebraKeys = ["fixedLabels", "labelTable", "labelScheme", "anchor"];

    /// <summary>Reads and checks the manifest at <paramref name="path"/>, including that every referenced file exists.</summary>
    /// <exception cref="ValidationException">Unreadable or malformed manifest, or a missing file, naming case and field.</exception>
    public static ValidationManifest Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new ValidationException($"{path}: the manifest file does not exist.");
        string text;
        try { text = InputFile.ReadAllText(path); }
        catch (ImageGuideException e) { throw new ValidationException($"{path}: cannot read the manifest ({e.Message}).", e); }
        catch (IOException e) { throw new ValidationException($"{path}: cannot read the manifest ({e.Message}).", e); }
        catch (UnauthorizedAccessException e) { throw new ValidationException($"{path}: cannot read the manifest ({e.Message}).", e); }
        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    /// <summary>
    /// Opens the manifest at <paramref name="path"/> for a streamed run: one pass reads and checks every case (as
    /// <see cref="Read"/> does) keeping only their ids, and <see cref="ValidationManifestFile.Cases"/> then reads the
    /// cases again one at a time, so a manifest of any length is never held in memory.
    /// </summary>
    /// <exception cref="ValidationException">Unreadable or malformed manifest, or a missing file, naming case and field.</exception>
    public static ValidationManifestFile Open(string path) => ValidationManifestFile.Open(path);

    /// <summary>Parses manifest JSON whose relative paths are resolved against <paramref name="baseDirectory"/>.</summary>
    /// <exception cref="ValidationException">Malformed manifest or a missing file, naming case and field.</exception>
    public static ValidationManifest Parse(string json, string baseDirectory, string source = "manifest")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new ValidationException($"{source}: not valid JSON ({e.Message}).", e); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ValidationException($"{source}: the manifest must be a JSON object with a 'cases' array.");
            CheckKeys(root, TopKeys, $"{source}: top level");
            if (root.TryGetProperty("version", out var version) && (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int v) || v != 1))
                throw new ValidationException($"{source}: 'version' must be 1 (the only manifest version this ImageGuide reads).");
            int points = OptionalInt(root, "trePoints", 1000, 1, 1_000_000, $"{source}: top level");
            int seed = OptionalInt(root, "seed", 1, 0, int.MaxValue, $"{source}: top level");
            if (!root.TryGetProperty("cases", out var cases) || cases.ValueKind != JsonValueKind.Array)
                throw new ValidationException($"{source}: no 'cases' array.");
            if (cases.GetArrayLength() == 0) throw new ValidationException($"{source}: 'cases' is empty; add at least one case.");
            var result = new List<ValidationCase>();
            var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            int index = 0;
            foreach (var c in cases.EnumerateArray())
            {
                var parsed = ParseCase(c, index, baseDirectory, source);
                if (!ids.Add(parsed.Id)) throw new ValidationException($"{source}: case '{parsed.Id}' (index {index}): field 'id' repeats an earlier case's id; ids must be unique.");
                result.Add(parsed);
                index++;
            }
            return new ValidationManifest(source, result, points, seed);
        }
    }

    internal static ValidationCase ParseCase(JsonElement c, int index, string baseDir, string source)
    {
        string where = $"{source}: case {index}";
        if (c.ValueKind != JsonValueKind.Object) throw new ValidationException($"{where}: each case must be a JSON object.");
        string id = OptionalString(c, "id", where) ?? throw new ValidationException($"{where}: field 'id' is missing; give every case a unique id.");
        if (id.Length == 0 || id.Length > 100 || !id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-') || id.StartsWith('.'))
            throw new ValidationException($"{where}: field 'id' '{id}' must be 1–100 letters, digits, '.', '_' or '-' (it names the case's files).");
        where = $"{source}: case '{id}' (index {index})";
        CheckKeys(c, CaseKeys, where);
        string? pair = null, site = null;
        if (c.TryGetProperty("tags", out var tags))
        {
            if (tags.ValueKind != JsonValueKind.Object) throw new ValidationException($"{where}: field 'tags' must be an object like {{\"pair\": \"CT-MR\", \"site\": \"spine\"}}.");
            CheckKeys(tags, TagKeys, where + ", 'tags'");
            pair = OptionalString(tags, "pair", where + ", 'tags'");
            site = OptionalString(tags, "site", where + ", 'tags'");
        }
        bool? fov = null;
        if (c.TryGetProperty("fovMask", out var fovEl))
            fov = fovEl.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new ValidationException($"{where}: field 'fovMask' must be true or false."),
            };
        string? preset = OptionalString(c, "preset", where);
        CaseImages images;
        CaseReference reference;
        PerVertebraCase? perVertebra = null;
        if (c.TryGetProperty("phantom", out var ph))
        {
            foreach (var key in (string[])["fixed", "moving", "fixedMask", "movingMask", "fixedLandmarks", "movingLandmarks", "groundTruthTransform", "perVertebra"])
                if (c.TryGetProperty(key, out _))
                    throw new ValidationException($"{where}: field '{key}' cannot be combined with 'phantom' (a phantom case brings its own images and ground truth).");
            if (ph.ValueKind != JsonValueKind.Object) throw new ValidationException($"{where}: field 'phantom' must be an object like {{\"seed\": 3, \"fixed\": \"Cbct\", \"moving\": \"MrT1\"}}.");
            string pw = where + ", 'phantom'";
            CheckKeys(ph, PhantomKeys, pw);
            int seed = OptionalInt(ph, "seed", -1, 0, int.MaxValue, pw);
            if (seed < 0) throw new ValidationException($"{pw}: field 'seed' is missing.");
            string fixedFrame = FrameName(ph, "fixed", pw), movingFrame = FrameName(ph, "moving", pw);
            string sizeText = OptionalString(ph, "size", pw) ?? "small";
            var size = sizeText.ToLowerInvariant() switch
            {
                "small" => PhantomSize.Small,
                "full" => PhantomSize.Full,
                _ => throw new ValidationException($"{pw}: field 'size' '{sizeText}' must be small or full."),
            };
            bool fixedIsCbct = string.Equals(fixedFrame, "Cbct", StringComparison.OrdinalIgnoreCase);
            images = new PhantomCaseImages(new PhantomOptions { Seed = (ulong)seed, Size = size }, fixedFrame, movingFrame, fov ?? fixedIsCbct);
            reference = new PhantomReference();
            preset ??= ImageGuideRegistrationTool.AutoPreset;
            pair ??= $"{Modality(fixedFrame)}-{Modality(movingFrame)}";
            site ??= "spine";
        }
        else
        {
            string fixedPath = RequiredPath(c, "fixed", baseDir, where, directoryOk: true);
            string movingPath = RequiredPath(c, "moving", baseDir, where, directoryOk: true);
            string? fixedMask = OptionalPath(c, "fixedMask", baseDir, where);
            string? movingMask = OptionalPath(c, "movingMask", baseDir, where);
            images = new FileCaseImages(fixedPath, movingPath, fixedMask, movingMask, fov ?? false);
            bool hasLandmarks = c.TryGetProperty("fixedLandmarks", out _) || c.TryGetProperty("movingLandmarks", out _);
            bool hasTransform = c.TryGetProperty("groundTruthTransform", out _);
            if (hasLandmarks && hasTransform)
                throw new ValidationException($"{where}: give either 'fixedLandmarks'/'movingLandmarks' or 'groundTruthTransform', not both.");
            if (hasLandmarks)
                reference = new LandmarkReference(RequiredPath(c, "fixedLandmarks", baseDir, where), RequiredPath(c, "movingLandmarks", baseDir, where));
            else if (hasTransform)
                reference = new TransformReference(RequiredPath(c, "groundTruthTransform", baseDir, where));
            else
                throw new ValidationException($"{where}: no reference for TRE; add 'fixedLandmarks' and 'movingLandmarks', or 'groundTruthTransform'.");
            if (c.TryGetProperty("perVertebra", out var pv)) perVertebra = ParsePerVertebra(pv, baseDir, where + ", 'perVertebra'");
            preset ??= ImageGuideRegistrationTool.AutoPreset;
            pair ??= "unspecified";
            site ??= "unspecified";
        }
        if (string.Equals(preset, ImageGuideRegistrationTool.AutoPreset, StringComparison.OrdinalIgnoreCase))
            preset = ImageGuideRegistrationTool.AutoPreset;
        else if (!RegistrationPreset.TryGet(preset, out _))
        {
            string presetPath = Path.GetFullPath(Path.Combine(baseDir, preset));
            if (!File.Exists(presetPath))
                throw new ValidationException($"{where}: field 'preset' '{preset}' is neither a preset ({ImageGuideRegistrationTool.AutoPreset}, {string.Join(", ", RegistrationPreset.Names)}) nor an existing preset JSON file.");
            preset = presetPath;
        }
        return new ValidationCase(id, index, images, reference, preset, pair, site, c.GetRawText(), perVertebra);
    }

    private static PerVertebraCase ParsePerVertebra(JsonElement pv, string baseDir, string where)
    {
        if (pv.ValueKind != JsonValueKind.Object)
            throw new ValidationException($"{where}: must be an object like {{\"fixedLabels\": \"vertebrae.nii.gz\"}} (or {{}} to find the vertebrae on the fixed CT).");
        CheckKeys(pv, PerVertebraKeys, where);
        string? labels = OptionalPath(pv, "fixedLabels", baseDir, where);
        string? table = OptionalPath(pv, "labelTable", baseDir, where);
        string schemeName = OptionalString(pv, "labelScheme", where) ?? "auto";
        if (!VertebraLabelSet.TryParseScheme(schemeName, out var scheme))
            throw new ValidationException($"{where}: field 'labelScheme' '{schemeName}' must be auto, totalsegmentator, verse or table.");
        string? anchor = OptionalString(pv, "anchor", where);
        if (labels is null && (table is not null || pv.TryGetProperty("labelScheme", out _)))
            throw new ValidationException($"{where}: 'labelTable' and 'labelScheme' describe 'fixedLabels'; give the label map too.");
        if (labels is not null && anchor is not null)
            throw new ValidationException($"{where}: 'anchor' names automatically found vertebrae; with 'fixedLabels' the labels name them.");
        if (anchor is not null && VertebraLevel.Rank(anchor) is null)
            throw new ValidationException($"{where}: field 'anchor' '{anchor}' is not a vertebra level (C1…C7, T1…T13, L1…L6, S1).");
        return new PerVertebraCase(labels, table, scheme, anchor);
    }

    private static string Modality(string frame) => frame.ToLowerInvariant() switch
    {
        "cbct" => "CBCT",
        "mrt1" or "mr-t1" or "mrt2" or "mr-t2" => "MR",
        _ => "CT",
    };

    private static string FrameName(JsonElement ph, string key, string where)
    {
        string name = OptionalString(ph, key, where) ?? throw new ValidationException($"{where}: field '{key}' is missing; name a frame ({string.Join(", ", PhantomCaseImages.FrameNames)}).");
        foreach (var n in PhantomCaseImages.FrameNames)
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return n;
        throw new ValidationException($"{where}: field '{key}' '{name}' is not a phantom frame; use one of {string.Join(", ", PhantomCaseImages.FrameNames)}.");
    }

    internal static void CheckKeys(JsonElement obj, HashSet<string> allowed, string where)
    {
        foreach (var p in obj.EnumerateObject())
            if (!allowed.Contains(p.Name))
                throw new ValidationException($"{where}: unknown field '{p.Name}'; known fields are {string.Join(", ", allowed)}.");
    }

    private static string? OptionalString(JsonElement obj, string key, string where)
    {
        if (!obj.TryGetProperty(key, out var e)) return null;
        if (e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString()))
            throw new ValidationException($"{where}: field '{key}' must be a non-empty string.");
        return e.GetString()!;
    }

    internal static int OptionalInt(JsonElement obj, string key, int fallback, int min, int max, string where)
    {
        if (!obj.TryGetProperty(key, out var e)) return fallback;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v) || v < min || v > max)
            throw new ValidationException($"{where}: field '{key}' must be a whole number from {min} to {max}.");
        return v;
    }

    private static string RequiredPath(JsonElement c, string key, string baseDir, string where, bool directoryOk = false) =>
        OptionalPath(c, key, baseDir, where, directoryOk) ?? throw new ValidationException($"{where}: field '{key}' is missing.");

    private static string? OptionalPath(JsonElement c, string key, string baseDir, string where, bool directoryOk = false)
    {
        string? relative = OptionalString(c, key, where);
        if (relative is null) return null;
        string full = Path.GetFullPath(Path.Combine(baseDir, relative));
        if (!File.Exists(full) && !(directoryOk && Directory.Exists(full)))
            throw new ValidationException($"{where}: field '{key}': {full} does not exist (paths are relative to the manifest's folder).");
        return full;
    }
}
