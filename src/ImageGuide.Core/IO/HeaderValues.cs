using System.Globalization;

namespace ImageGuide.IO;

/// <summary>Parsing and formatting helpers for the text headers of MetaImage, NRRD and transform files.</summary>
internal static class HeaderValues
{
    private static readonly char[] Separators = [' ', '\t', ',', '(', ')', '[', ']'];

    /// <summary>Formats a double so that it parses back to the same value.</summary>
    internal static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Space-separated round-trip formatting.</summary>
    internal static string Join(params double[] values) => string.Join(' ', values.Select(Format));

    /// <summary>Parses a list of numbers separated by blanks, commas or brackets.</summary>
    internal static double[] Doubles(string text, string file, string field)
    {
        var parts = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        var result = new double[parts.Length];
        for (int n = 0; n < parts.Length; n++)
            if (!double.TryParse(parts[n], NumberStyles.Float, CultureInfo.InvariantCulture, out result[n]) || !double.IsFinite(result[n]))
                throw new InvalidImageDataException($"{file}: field '{field}' has '{parts[n]}' where a finite number is required.");
        return result;
    }

    /// <summary>Parses exactly <paramref name="count"/> numbers.</summary>
    internal static double[] Doubles(string text, int count, string file, string field)
    {
        var v = Doubles(text, file, field);
        if (v.Length != count)
            throw new InvalidImageDataException($"{file}: field '{field}' has {v.Length} values, expected {count}.");
        return v;
    }

    /// <summary>Parses a list of integers.</summary>
    internal static long[] Longs(string text, string file, string field)
    {
        var parts = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        var result = new long[parts.Length];
        for (int n = 0; n < parts.Length; n++)
            if (!long.TryParse(parts[n], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[n]))
                throw new InvalidImageDataException($"{file}: field '{field}' has '{parts[n]}' where an integer is required.");
        return result;
    }

    /// <summary>Parses one integer.</summary>
    internal static long Long(string text, string file, string field)
    {
        var v = Longs(text, file, field);
        return v.Length == 1 ? v[0] : throw new InvalidImageDataException($"{file}: field '{field}' must hold one integer, found '{text}'.");
    }

    /// <summary>Parses True/False (also 1/0, yes/no).</summary>
    internal static bool Bool(string text, string file, string field) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new InvalidImageDataException($"{file}: field '{field}' must be True or False, found '{text}'."),
    };

    /// <summary>
    /// Reads ASCII header lines from the start of a stream, byte by byte, until <paramref name="isLast"/> accepts a line
    /// or a blank line ends the header (when <paramref name="blankEnds"/>). The stream is left at the first byte after
    /// the header. Raises <see cref="InvalidImageDataException"/> when no end is found within <paramref name="maxBytes"/>.
    /// </summary>
    internal static List<string> ReadLines(Stream stream, Func<string, bool> isLast, bool blankEnds, int maxBytes, string file, string format)
    {
        var lines = new List<string>();
        var sb = new System.Text.StringBuilder();
        int total = 0;
        while (true)
        {
            int b = stream.ReadByte();
            if (b < 0)
            {
                if (sb.Length > 0) lines.Add(sb.ToString().TrimEnd('\r'));
                return lines;
            }
            if (++total > maxBytes)
                throw new InvalidImageDataException($"{file}: no end of the {format} header within the first {maxBytes} bytes; this is not a {format} file.");
            if (b == '\n')
            {
                string line = sb.ToString().TrimEnd('\r');
                sb.Clear();
                if (blankEnds && line.Length == 0) return lines;
                lines.Add(line);
                if (isLast(line)) return lines;
            }
            else if (b == 0)
                throw new InvalidImageDataException($"{file}: binary byte in the {format} header at offset {total - 1}; this is not a {format} file.");
            else sb.Append((char)b);
        }
    }
}
