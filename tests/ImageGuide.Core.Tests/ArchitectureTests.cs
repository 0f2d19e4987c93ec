using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ImageGuide.Tests;

/// <summary>
/// The layering of docs/ARCHITECTURE.md, checked on the source text under src/: every reference from one ImageGuide
/// namespace to another (using directives, fully-qualified names, names qualified relative to the file's namespace) must
/// point to a lower layer or stay inside its own namespace; and the Core project must stay self-contained.
/// </summary>
public class ArchitectureTests
{
    /// <summary>Layer of each namespace, keyed by its first two segments. Keep in step with docs/ARCHITECTURE.md.</summary>
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["ImageGuide"] = 0,               // Foundation: root types (ImageGuideException)
        ["ImageGuide.Imaging"] = 0,       // Foundation: volumes, geometry, vectors, transforms, resampling
        ["ImageGuide.Files"] = 0,         // Foundation: file handling shared by every layer
        ["ImageGuide.Dicom"] = 1,         // DICOM: reading, writing, codecs, series
        ["ImageGuide.IO"] = 2,            // file formats (NIfTI, MetaImage, NRRD, transforms): the one loading path
        ["ImageGuide.Model"] = 3,         // shared domain types: labels, landmarks, vertebra levels, probes, ablation zones
        ["ImageGuide.Registration"] = 4,  // capability: rigid and per-vertebra registration (a capability uses 0–3 only)
        ["ImageGuide.Segmentation"] = 4,  // capability: spine and ice-ball segmentation
        ["ImageGuide.Planning"] = 4,      // capability: needle and multi-probe cryoablation planning
        ["ImageGuide.Visualization"] = 4, // capability: fusion snapshots and overlays
        ["ImageGuide.Phantoms"] = 4,      // capability: synthetic phantoms with ground truth
        ["ImageGuide.Workflows"] = 5,     // workflows: validation, demo, register/plan/iceball pipelines (uses 0–4)
        ["ImageGuide.Rendering"] = 6,     // drawing with native libraries (ScottPlot, SkiaSharp): charts, PDF reports (uses 0–5)
        ["ImageGuide.Cli"] = 7,           // application: command line (uses 0–6, never the viewer)
        ["ImageGuide.Viewer"] = 7,        // application: 3-D viewer (uses 0–6, never the CLI)
    };

    /// <summary>Packages the Core library may reference: managed-only, no native assets.</summary>
    private static readonly string[] AllowedCorePackages = ["Microsoft.Extensions.Logging.Abstractions"];

    private static readonly Regex NamespaceDeclaration = new(@"(?m)^\s*namespace\s+([\w.]+)");
    private static readonly Regex UsingDirective =
        new(@"(?m)^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?:global::)?(ImageGuide(?:\.\w+)*)\s*;");
    private static readonly Regex QualifiedName = new(@"(?<![\w.])ImageGuide(?:\.\w+)+");
    private static readonly Regex RelativeName =
        new(@"(?<![\w.])(Dicom|IO|Imaging|Files|Model|Registration|Segmentation|Planning|Visualization|Phantoms|Workflows)\.[A-Z]\w*");

    [Test]
    public void SourceReferencesPointDownTheLayers()
    {
        string root = TestPaths.RepoRoot;
        var sources = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(p => !p.Split('/').Any(s => s is "bin" or "obj"))
            .Select(p => (p, File.ReadAllText(Path.Combine(root, p))))
            .ToList();
        Assert.That(sources, Is.Not.Empty, "no sources found under src/");
        var violations = Violations(sources);
        if (violations.Count > 0)
            Assert.Fail($"{violations.Count} reference(s) break the layering of docs/ARCHITECTURE.md:\n" + string.Join("\n", violations));
    }

    [Test]
    public void CoreProjectIsSelfContained()
    {
        string dir = Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "src", "ImageGuide.Core"));
        const string project = "src/ImageGuide.Core/ImageGuide.Core.csproj";
        var xml = XDocument.Load(Path.Combine(TestPaths.RepoRoot, project));
        var problems = new List<string>();
        foreach (var e in xml.Descendants())
        {
            string kind = e.Name.LocalName;
            if (kind == "PackageReference")
            {
                string package = (string?)e.Attribute("Include") ?? (string?)e.Attribute("Update") ?? "";
                if (!AllowedCorePackages.Contains(package))
                    problems.Add($"{project}: PackageReference {package} is not in the allowed (managed-only) list");
                continue;
            }
            // the package's readme and licence are the repository's own, packed beside the assembly, not compiled into it
            if (kind == "None" && (string?)e.Attribute("Pack") == "true" && Path.GetFileName((string?)e.Attribute("Include") ?? "") is "README.md" or "LICENSE")
                continue;
            foreach (string attribute in new[] { "Include", "Link", "LogicalName" })
                foreach (string part in ((string?)e.Attribute(attribute) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    if (PointsOutside(dir, part))
                        problems.Add($"{project}: <{kind} {attribute}=\"{part}\"> points outside src/ImageGuide.Core");
        }
        if (problems.Count > 0) Assert.Fail(string.Join("\n", problems));
    }

    [Test]
    public void CheckerFindsExactlyTheRealArrows()
    {
        var sources = new[]
        {
            ("src/ImageGuide.Core/Planning/A.cs", """"
                using ImageGuide.Registration;
                using ImageGuide.Imaging;
                namespace ImageGuide.Planning;
                // Segmentation.Foo and ImageGuide.Visualization in a comment do not count
                internal class A { Segmentation.Mask? m; string s = "ImageGuide.Visualization"; Model M => null!; int n = Model.Count; }
                """"),
            ("src/ImageGuide.Core/IO/B.cs", """"
                namespace ImageGuide.IO
                {
                    /// <summary>Read by ImageGuide.Planning.</summary>
                    /* ImageGuide.Phantoms */ internal class B
                    {
                        void F(bool x) { System.IO.File.Exists(@"C:\ImageGuide.Planning"""); var t = Dicom.Tag.PixelData; char q = '"';
                            string s = $"{(x ? "ImageGuide.Phantoms" : "}")} ImageGuide.Planning"; string r = $@"{{ImageGuide.Planning}}"; }
                    }
                }
                """"),
            ("src/ImageGuide.Core/Dicom/Series/C.cs", "namespace ImageGuide.Dicom.Series; class C { object b = IO.ImageMemoryBudget.Default; }"),
            ("src/ImageGuide.Core/Registration/D.cs", "namespace ImageGuide.Registration; class D { object e = ImageGuide.ImageGuideException.X; }"),
            ("src/ImageGuide.Core/Segmentation/E.cs", "namespace ImageGuide.Segmentation;"),
            ("src/ImageGuide.Core/Workflows/Validation/F.cs", "namespace ImageGuide.Validation;"),
            ("src/ImageGuide.Cli/Program.cs", "using ImageGuide.Viewer.Scene;\nusing static ImageGuide.Validation.Report;"),
        };
        Assert.That(Violations(sources), Is.EqualTo(new[]
        {
            "src/ImageGuide.Cli/Program.cs: ImageGuide.Cli → ImageGuide.Validation (layer 7 → unknown): add ImageGuide.Validation to the table in docs/ARCHITECTURE.md and ArchitectureTests",
            "src/ImageGuide.Cli/Program.cs: ImageGuide.Cli → ImageGuide.Viewer (layer 7 → layer 7)",
            "src/ImageGuide.Core/Dicom/Series/C.cs: ImageGuide.Dicom.Series → ImageGuide.IO (layer 1 → layer 2)",
            "src/ImageGuide.Core/Planning/A.cs: ImageGuide.Planning → ImageGuide.Registration (layer 4 → layer 4)",
            "src/ImageGuide.Core/Planning/A.cs: ImageGuide.Planning → ImageGuide.Segmentation (layer 4 → layer 4)",
            "src/ImageGuide.Core/Workflows/Validation/F.cs: namespace ImageGuide.Validation is not in the layer table: add it to the table in docs/ARCHITECTURE.md and ArchitectureTests",
        }));
    }

    /// <summary>Every forbidden arrow in the given sources (path relative to the repository root, text), sorted.</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<(string Path, string Text)> sources)
    {
        var files = sources.Select(s =>
        {
            string code = StripCommentsAndStrings(s.Text);
            var m = NamespaceDeclaration.Match(code);
            return (s.Path, Code: code, Ns: m.Success ? m.Groups[1].Value : ProjectNamespace(s.Path));
        }).ToList();
        var declared = files.Select(f => f.Ns).ToHashSet(StringComparer.Ordinal);
        bool IsNamespace(string name) => declared.Any(d => d == name || d.StartsWith(name + ".", StringComparison.Ordinal));
        // A dotted reference names a namespace when its first two segments are one; otherwise it is a root type (ImageGuide.ImageGuideException).
        string ReferenceKey(string name) => TwoSegments(name) is var key && (Layers.ContainsKey(key) || IsNamespace(key)) ? key : "ImageGuide";

        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (path, code, ns) in files)
        {
            string from = TwoSegments(ns);
            if (!Layers.TryGetValue(from, out int a))
            {
                found.Add($"{path}: namespace {ns} is not in the layer table: add it to the table in docs/ARCHITECTURE.md and ArchitectureTests");
                continue;
            }
            var targets = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in UsingDirective.Matches(code)) targets.Add(ReferenceKey(m.Groups[1].Value));
            foreach (Match m in QualifiedName.Matches(code)) targets.Add(ReferenceKey(m.Value));
            // `IO.X` inside namespace ImageGuide.A.B binds to ImageGuide.A.B.IO, then ImageGuide.A.IO, then ImageGuide.IO (first that exists).
            if (ns == "ImageGuide" || ns.StartsWith("ImageGuide.", StringComparison.Ordinal))
                foreach (Match m in RelativeName.Matches(code))
                    for (string? scope = ns; scope is not null; scope = scope.Contains('.') ? scope[..scope.LastIndexOf('.')] : null)
                        if (IsNamespace(scope + "." + m.Groups[1].Value)) { targets.Add(TwoSegments(scope + "." + m.Groups[1].Value)); break; }
            foreach (string to in targets.Where(t => t != from))
            {
                if (!Layers.TryGetValue(to, out int b))
                    found.Add($"{path}: {ns} → {to} (layer {a} → unknown): add {to} to the table in docs/ARCHITECTURE.md and ArchitectureTests");
                else if (b >= a)
                    found.Add($"{path}: {ns} → {to} (layer {a} → layer {b})");
            }
        }
        return found.ToList();
    }

    private static string TwoSegments(string name) => string.Join('.', name.Split('.').Take(2));

    /// <summary>Namespace assumed for a file without a namespace declaration (top-level statements): its project's name.</summary>
    private static string ProjectNamespace(string path)
    {
        string[] parts = path.Replace('\\', '/').Split('/');
        int i = Array.IndexOf(parts, "src");
        return i >= 0 && i + 1 < parts.Length - 1 ? parts[i + 1] : "";
    }

    private static bool PointsOutside(string projectDir, string value)
    {
        string v = value.Replace('\\', '/');
        foreach (string prefix in new[] { "$(MSBuildProjectDirectory)", "$(MSBuildThisFileDirectory)" })
            if (v.StartsWith(prefix, StringComparison.Ordinal)) v = v[prefix.Length..].TrimStart('/');
        if (v.Contains("$(") || Path.IsPathRooted(v)) return true; // cannot be shown to stay inside
        string full = Path.GetFullPath(Path.Combine(projectDir, v));
        return full != projectDir && !full.StartsWith(projectDir + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>The code with comments, string literals (regular, verbatim, interpolated, raw) and char literals removed.</summary>
    private static string StripCommentsAndStrings(string s)
    {
        var code = new StringBuilder(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i], next = i + 1 < s.Length ? s[i + 1] : '\0';
            if (c == '/' && next == '/') { while (i < s.Length && s[i] != '\n') i++; continue; }
            if (c == '/' && next == '*') { int end = s.IndexOf("*/", i + 2, StringComparison.Ordinal); i = end < 0 ? s.Length : end + 2; code.Append(' '); continue; }
            if (c == '\'') { i = SkipLiteral(s, i + 1, '\'', verbatim: false, interpolated: false); code.Append(' '); continue; }
            int j = i;
            bool verbatim = false, interpolated = false;
            while (j < s.Length && s[j] is '$' or '@') { verbatim |= s[j] == '@'; interpolated |= s[j] == '$'; j++; }
            if (j < s.Length && s[j] == '"')
            {
                int quotes = 0;
                while (j + quotes < s.Length && s[j + quotes] == '"') quotes++;
                if (quotes >= 3) // raw string literal: ends at the next run of as many quotes
                {
                    int end = s.IndexOf(new string('"', quotes), j + quotes, StringComparison.Ordinal);
                    i = end < 0 ? s.Length : end + quotes;
                }
                else i = SkipLiteral(s, j + 1, '"', verbatim, interpolated);
                code.Append(' ');
                continue;
            }
            code.Append(c);
            i++;
        }
        return code.ToString();
    }

    /// <summary>Index just past the literal whose body starts at <paramref name="i"/>; skips nested literals in interpolation holes.</summary>
    private static int SkipLiteral(string s, int i, char quote, bool verbatim, bool interpolated)
    {
        int depth = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (depth > 0)
            {
                if (c is '"' or '\'') { i = SkipLiteral(s, i + 1, c, false, false); continue; }
                if (c == '{') depth++;
                else if (c == '}') depth--;
                i++;
                continue;
            }
            if (!verbatim && c == '\\') { i += 2; continue; }
            if (c == quote)
            {
                if (verbatim && i + 1 < s.Length && s[i + 1] == quote) { i += 2; continue; }
                return i + 1;
            }
            if (interpolated && c == '{')
            {
                if (i + 1 < s.Length && s[i + 1] == '{') { i += 2; continue; }
                depth = 1;
            }
            i++;
        }
        return i;
    }
}
