using System.Text.Json;

namespace ImageGuide.Tests.Dicom;

/// <summary>
/// The pydicom-generated reference.json files of ../shared/data: pydicom's own test corpus and two real CT series
/// (dcm_qa_ct: GE with gantry tilt, Philips brain). One test case per file.
/// </summary>
internal static class PydicomReference
{
    /// <summary>The pydicom test corpus folder.</summary>
    public const string Folder = "pydicom-test-files";

    private static readonly string[] Folders = [Folder, "ct-ge-gantry-tilt", "ct-philips-brain-5mm"];

    private static readonly Lazy<Dictionary<string, JsonDocument>> Documents = new(Load);

    /// <summary>Absolute path of a file given as "folder/path-in-reference".</summary>
    public static string FullPath(string relative) => Path.Combine(TestPaths.SharedData, relative);

    /// <summary>Every reference entry of every folder; one placeholder case (skips, or fails under CI) when none is present.</summary>
    public static IEnumerable<TestCaseData> Cases() => CasesOf(Folders);

    /// <summary>The entries of the pydicom test corpus only.</summary>
    public static IEnumerable<TestCaseData> CorpusCases() => CasesOf([Folder]);

    /// <summary>Skips (or fails under CI) when the reference data is absent.</summary>
    public static void Require(string relative) =>
        TestPaths.RequireShared(Path.Combine(relative.Split('/')[0], "reference.json"));

    private static IEnumerable<TestCaseData> CasesOf(string[] folders)
    {
        bool any = false;
        foreach (string folder in folders)
        {
            if (!Documents.Value.TryGetValue(folder, out JsonDocument? doc)) continue;
            foreach (JsonElement file in doc.RootElement.GetProperty("files").EnumerateArray())
            {
                string path = folder + "/" + file.GetProperty("path").GetString();
                any = true;
                yield return new TestCaseData(file, path).SetName($"{{m}}({path})");
            }
        }
        if (!any) yield return new TestCaseData(null, Folder + "/(absent)").SetName("{m}(reference data absent)");
    }

    private static Dictionary<string, JsonDocument> Load()
    {
        var docs = new Dictionary<string, JsonDocument>();
        foreach (string folder in Folders)
        {
            string path = Path.Combine(TestPaths.SharedData, folder, "reference.json");
            if (File.Exists(path)) docs[folder] = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        return docs;
    }
}
