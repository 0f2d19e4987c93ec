namespace ImageGuide.Cli;

/// <summary>Keeps what the user gave: an output path may not be an input, and a folder output may not hold one.</summary>
internal static class OutputGuard
{
    /// <summary>
    /// Refuses <paramref name="output"/> (given with <paramref name="option"/>) when it is one of <paramref name="inputs"/>
    /// or, for a <paramref name="folder"/> output, contains one.
    /// </summary>
    /// <exception cref="UsageException">The output would replace an input.</exception>
    public static void RefuseOverwritingInputs(string option, string output, bool folder, IEnumerable<string> inputs)
    {
        string full = Path.GetFullPath(output).TrimEnd(Path.DirectorySeparatorChar);
        foreach (var input in inputs)
        {
            string fullIn = Path.GetFullPath(input).TrimEnd(Path.DirectorySeparatorChar);
            if (full == fullIn || folder && fullIn.StartsWith(full + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new UsageException($"{option} {output} would overwrite the input {input}; choose another path.");
        }
    }
}
