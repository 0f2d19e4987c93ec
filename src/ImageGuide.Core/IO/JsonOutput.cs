using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ImageGuide.Files;

namespace ImageGuide.IO;

/// <summary>
/// How ImageGuide writes its JSON documents (reports, tables, markups, manifests): indented, text other than ASCII
/// (°, →, names) kept as UTF-8 rather than <c>\uXXXX</c>, a newline at the end, files written atomically.
/// </summary>
public static class JsonOutput
{
    /// <summary>The writer options every JSON document uses.</summary>
    public static JsonWriterOptions Options { get; } = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The document <paramref name="body"/> writes, as text (with the final newline).</summary>
    public static string Format(Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var ms = new MemoryStream();
        Write(ms, body);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes the document <paramref name="body"/> writes to <paramref name="path"/> through a temporary file.</summary>
    public static void WriteFile(string path, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        AtomicFile.Write(path, stream => Write(stream, body));
    }

    /// <summary>Writes the document <paramref name="body"/> writes to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(body);
        using (var w = new Utf8JsonWriter(stream, Options)) body(w);
        stream.Write("\n"u8);
    }
}
