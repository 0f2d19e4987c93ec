using System.Text.Json;

namespace ImageGuide.Tests.Dicom;

/// <summary>The pydicom-generated reference.json of ../shared/data/pydicom-test-files, one test case per file.</summary>
internal static class PydicomReference
{
    public const string Folder = "pydicom-test-files";

    private static readonly Lazy<JsonDocument?> Document = new(Load);

    /// <summary>Absolute path of a corpus file given its reference path.</summary>
    public static string FullPath(string relative) => Path.Combine(TestPaths.SharedData, Folder, relative);

    /// <summary>The reference entries; a single placeholder case (which skips or fails via RequireShared) when absent.</summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        JsonDocument? doc = Document.Value;
        if (doc is null)
        {
            yield return new TestCaseData(null, "(pydicom corpus absent)").SetName("{m}(corpus absent)");
            yield break;
        }
        foreach (JsonElement file in doc.RootElement.GetProperty("files").EnumerateArray())
        {
            string path = file.GetProperty("path").GetString()!;
            yield return new TestCaseData(file, path).SetName($"{{m}}({path})");
        }
    }

    /// <summary>The corpus files (paths relative to the corpus folder) and their sizes.</summary>
    public static IEnumerable<(string Path, long Size)> Files()
    {
        JsonDocument? doc = Document.Value;
        if (doc is null) yield break;
        foreach (JsonElement file in doc.RootElement.GetProperty("files").EnumerateArray())
            yield return (file.GetProperty("path").GetString()!, file.GetProperty("size_bytes").GetInt64());
    }

    /// <summary>Skips (or fails under CI) when the corpus is absent.</summary>
    public static void Require() => TestPaths.RequireShared(Path.Combine(Folder, "reference.json"));

    private static JsonDocument? Load()
    {
        string path = Path.Combine(TestPaths.SharedData, Folder, "reference.json");
        return File.Exists(path) ? JsonDocument.Parse(File.ReadAllBytes(path)) : null;
    }
}
