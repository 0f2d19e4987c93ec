using System.CommandLine;

namespace ImageGuide.Cli;

/// <summary>
/// The one output policy of every command — keeps what the user gave: an output may never be an input, contain one
/// (a folder output), or lie inside an input folder (it would then read as part of that input); and an existing
/// output is replaced only with <c>--force</c>.
/// </summary>
internal static class OutputGuard
{
    /// <summary>The <c>--force</c> option of a command whose outputs may already exist.</summary>
    public static Option<bool> ForceOption() => new("--force") { Description = "Replace existing outputs (an input is never replaced)" };

    /// <summary>
    /// Refuses <paramref name="output"/> (given with <paramref name="option"/>) when it is one of <paramref name="inputs"/>,
    /// contains one (for a <paramref name="folder"/> output), lies inside an input folder, or — unless
    /// <paramref name="force"/> — already exists (a folder output: exists and is not empty).
    /// </summary>
    /// <exception cref="UsageException">The output would replace, pollute or silently overwrite something.</exception>
    public static void Check(string option, string output, bool folder, IEnumerable<string> inputs, bool force)
    {
        RefuseOverwritingInputs(option, output, folder, inputs);
        if (force) return;
        if (File.Exists(output) || Directory.Exists(output) && (!folder || Directory.EnumerateFileSystemEntries(output).Any()))
            throw new UsageException($"{option} {output} exists; choose another path, or add --force to replace it.");
    }

    /// <summary>
    /// Refuses <paramref name="output"/> (given with <paramref name="option"/>) when it is one of <paramref name="inputs"/>,
    /// contains one (for a <paramref name="folder"/> output), or lies inside an input folder.
    /// </summary>
    /// <exception cref="UsageException">The output would replace or pollute an input.</exception>
    public static void RefuseOverwritingInputs(string option, string output, bool folder, IEnumerable<string> inputs)
    {
        string full = Path.GetFullPath(output).TrimEnd(Path.DirectorySeparatorChar);
        foreach (var input in inputs)
        {
            string fullIn = Path.GetFullPath(input).TrimEnd(Path.DirectorySeparatorChar);
            if (full == fullIn || folder && fullIn.StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new UsageException($"{option} {output} would overwrite the input {input}; choose another path.");
            if (Directory.Exists(fullIn) && full.StartsWith(fullIn + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new UsageException($"{option} {output} lies inside the input folder {input}: written there it would be read as part of that input next time; choose a path outside it.");
        }
    }
}
