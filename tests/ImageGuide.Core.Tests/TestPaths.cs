namespace ImageGuide.Tests;

/// <summary>Locates the repository and the shared real-data folder for tests.</summary>
internal static class TestPaths
{
    /// <summary>Repository root (the folder holding ImageGuide.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared/data beside the repository (may not exist on a developer machine).</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    /// <summary>
    /// Path of a folder or file under ../shared/data. When it is absent the test is skipped with a clear
    /// message — except under CI (CI=true), where the data must be present and its absence fails the test.
    /// </summary>
    public static string RequireShared(string relative)
    {
        string path = Path.Combine(SharedData, relative);
        if (File.Exists(path) || Directory.Exists(path)) return path;
        string msg = $"Real test data '{relative}' not found at {path}: place the shared data folder beside the repository (../shared/data).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(msg + " CI must have it.");
        Assert.Ignore(msg);
        return path;
    }

    /// <summary>A fresh empty temporary folder, deleted by the caller's TearDown if wanted.</summary>
    public static string NewTempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "imageguide-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ImageGuide.sln"))) return d.FullName;
        throw new InvalidOperationException("ImageGuide.sln not found above " + AppContext.BaseDirectory);
    }
}
