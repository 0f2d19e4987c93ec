namespace ImageGuide.Workflows.Validation;

/// <summary>
/// Builds the validation report from the case files of any number of output folders — the shards of one sharded run
/// (<see cref="ValidationRunner.RunShard"/>), or one unsharded run's folder. Each folder's <see cref="ShardMarker"/>
/// says which cases it holds; only those case files are read. The report depends only on those case files, ordered by
/// manifest index and then tool, so the shards of a run merge into exactly the report a single folder holding the
/// same case files gives, and into the report of a single-machine run of the same manifest up to the measured
/// runtimes. Refused, with the folders and files named: a folder without a complete marker, shards of different
/// manifests, tools or tool versions, a shard given twice or missing, the same case in two folders (duplicate or
/// conflicting manifest entries), a case file that is missing, unreadable, of another tool version or another case.
/// </summary>
public static class ValidationMerge
{
    /// <summary>Reads and checks the folders' case files and returns the report (nothing is written).</summary>
    /// <param name="folders">Output folders of <c>validate</c> (each with <see cref="ShardMarker.FileName"/> and <c>cases/</c>).</param>
    /// <exception cref="ValidationException">The folders do not make one complete, consistent run; the message names them.</exception>
    public static ValidationReport Load(IReadOnlyList<string> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        if (folders.Count == 0) throw new ValidationException("validate merge: give at least one output folder of 'imageguide validate'.");
        var markers = new List<(string Folder, ShardMarker Marker)>();
        var seenFolders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in folders)
        {
            string folder = Path.GetFullPath(f);
            if (!seenFolders.Add(folder)) throw new ValidationException($"{f}: the folder is given twice; give each shard's folder once.");
            if (!Directory.Exists(folder)) throw new ValidationException($"{f}: the folder does not exist.");
            var marker = ShardMarker.TryRead(folder)
                ?? throw new ValidationException($"{f}: no {ShardMarker.FileName}: not an output folder of 'imageguide validate' (a folder from before shard markers: rerun 'validate MANIFEST --out {f}' to resume it, which writes the marker).");
            if (!marker.Complete)
                throw new ValidationException($"{f}: {marker.Describe()} has not finished (its run was stopped or is still going); rerun 'imageguide validate MANIFEST --out {f} --shard {marker.Shard}' to resume it.");
            markers.Add((folder, marker));
        }
        var (firstFolder, first) = markers[0];
        foreach (var (folder, m) in markers.Skip(1))
        {
            if (m.ManifestSha256 != first.ManifestSha256 || m.Manifest != first.Manifest)
                throw new ValidationException($"{folder} ran manifest {m.Manifest} (SHA-256 {m.ManifestSha256[..12]}…) but {firstFolder} ran {first.Manifest} (SHA-256 {first.ManifestSha256[..12]}…): merge only the shards of one manifest; rerun the stale shards.");
            if (m.Shard.Count != first.Shard.Count)
                throw new ValidationException($"{folder} is shard {m.Shard} but {firstFolder} is shard {first.Shard}: merge the shards of one --shard K/N split.");
            if (!m.Tools.SequenceEqual(first.Tools))
                throw new ValidationException($"{folder} ran {Tools(m)} but {firstFolder} ran {Tools(first)}: conflicting tools or tool versions; rerun the shards with one build of ImageGuide (and one peer tool).");
        }
        var byShard = new Dictionary<int, string>();
        foreach (var (folder, m) in markers)
            if (!byShard.TryAdd(m.Shard.Index, folder))
                throw new ValidationException($"{byShard[m.Shard.Index]} and {folder} are both shard {m.Shard}: give each shard once.");
        var missing = Enumerable.Range(1, first.Shard.Count).Where(k => !byShard.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new ValidationException($"shards {string.Join(", ", missing.Select(k => $"{k}/{first.Shard.Count}"))} of {first.Manifest} are missing: give every shard's folder (or run the missing shards first).");

        var tools = first.Tools;
        var results = new List<CaseResult>();
        var caseFolder = new Dictionary<string, (string Folder, CaseResult First)>(StringComparer.OrdinalIgnoreCase);
        var caseAtIndex = new Dictionary<int, string>();
        foreach (var (folder, m) in markers)
            foreach (var id in m.CaseIds)
            {
                CaseResult? firstTool = null;
                for (int t = 0; t < tools.Count; t++)
                {
                    string file = Path.Combine(folder, "cases", $"{id}.{tools[t].Name}.json");
                    var r = CaseResult.TryRead(file)
                        ?? throw new ValidationException($"{file}: missing or unreadable, though {Path.Combine(folder, ShardMarker.FileName)} lists case '{id}'; rerun 'imageguide validate MANIFEST --out {folder} --shard {m.Shard}' to redo it.");
                    if (!string.Equals(r.CaseId, id, StringComparison.Ordinal) || r.Tool != tools[t].Name)
                        throw new ValidationException($"{file}: holds case '{r.CaseId}' of tool {r.Tool}, not '{id}' of {tools[t].Name}; the file was copied or renamed — rerun the shard.");
                    if (r.ToolVersion != tools[t].Version)
                        throw new ValidationException($"{file}: computed by {r.Tool} {r.ToolVersion ?? "(unknown version)"}, but its shard ran {tools[t].Name} {tools[t].Version}: conflicting tool versions; rerun the shard with one build.");
                    firstTool ??= r;
                    if (firstTool.Definition != r.Definition || firstTool.CaseIndex != r.CaseIndex)
                        throw new ValidationException($"{file}: case '{id}' has another manifest entry than its {tools[0].Name} result in the same folder; rerun the shard.");
                    results.Add(r);
                }
                if (caseFolder.TryGetValue(id, out var earlier))
                {
                    string how = earlier.First.Definition == firstTool!.Definition ? "the same manifest entry" : "conflicting manifest entries";
                    throw new ValidationException($"case '{id}' is in two folders ({Path.Combine(earlier.Folder, "cases", id + ".*.json")} and {Path.Combine(folder, "cases", id + ".*.json")}, {how}): duplicate case files; merge each case once.");
                }
                caseFolder[id] = (folder, firstTool!);
                if (!caseAtIndex.TryAdd(firstTool!.CaseIndex, id))
                    throw new ValidationException($"cases '{caseAtIndex[firstTool.CaseIndex]}' and '{id}' both claim manifest index {firstTool.CaseIndex} ({folder}): conflicting case files from different manifests; rerun the shards.");
            }
        if (caseFolder.Count != first.ManifestCases)
            throw new ValidationException($"the folders hold {caseFolder.Count} of the {first.ManifestCases} cases of {first.Manifest}; every case must be merged (are the shard folders of another split?).");
        var toolOrder = tools.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i);
        results.Sort((a, b) => a.CaseIndex != b.CaseIndex ? a.CaseIndex.CompareTo(b.CaseIndex) : toolOrder[a.Tool].CompareTo(toolOrder[b.Tool]));
        return new ValidationReport(first.Manifest, tools.Select(t => t.Name).ToList(), results);
    }

    /// <summary>
    /// Merges <paramref name="folders"/> into <paramref name="outputFolder"/>: the report files of
    /// <see cref="ValidationReportWriter"/> and the merged cases' snapshots (copied from the shards' <c>snapshots/</c>).
    /// </summary>
    /// <exception cref="ValidationException">As <see cref="Load"/>.</exception>
    public static ValidationReport Merge(IReadOnlyList<string> folders, string outputFolder, IReportCharts? charts = null)
    {
        ArgumentNullException.ThrowIfNull(outputFolder);
        var report = Load(folders);
        string outDir = Directory.CreateDirectory(outputFolder).FullName;
        CopySnapshots(report, folders, outDir);
        ValidationReportWriter.Write(report, outDir, charts);
        return report;
    }

    private static void CopySnapshots(ValidationReport report, IReadOnlyList<string> folders, string outDir)
    {
        string target = Path.Combine(outDir, "snapshots");
        foreach (var f in folders)
        {
            string from = Path.Combine(Path.GetFullPath(f), "snapshots");
            if (!Directory.Exists(from) || string.Equals(Path.GetFullPath(from), Path.GetFullPath(target), StringComparison.Ordinal)) continue;
            var marker = ShardMarker.TryRead(Path.GetFullPath(f))!;
            foreach (var id in marker.CaseIds)
                foreach (var tool in report.Tools)
                    foreach (var kind in (string[])["checkerboard", "fusion"])
                    {
                        string name = CaseSnapshots.FileName(id, tool, kind);
                        string source = Path.Combine(from, name);
                        if (!File.Exists(source)) continue;
                        Directory.CreateDirectory(target);
                        File.Copy(source, Path.Combine(target, name), overwrite: true);
                    }
        }
    }

    private static string Tools(ShardMarker m) => string.Join(", ", m.Tools.Select(t => $"{t.Name} {t.Version}"));
}
