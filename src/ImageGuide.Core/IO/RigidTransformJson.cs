using System.Globalization;
using System.Text;
using System.Text.Json;
using ImageGuide.Files;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// The JSON form of a rigid transform, as <c>register --json</c> prints it:
/// <c>{"matrix":[[4 rows of 4]], "translation":[x,y,z], "versor":[x,y,z,w], "center":[x,y,z]}</c>, fixed → moving in
/// LPS mm. On read, versor (+ translation, center) wins when present and must agree with <c>matrix</c> if both are
/// given; a matrix alone must be rigid. Other members (metric, iterations, …) are ignored.
/// </summary>
public static class RigidTransformJson
{
    /// <summary>Largest disagreement (mm or matrix units) tolerated between <c>matrix</c> and versor/translation.</summary>
    public const double ConsistencyTolerance = 1e-6;

    /// <summary>Reads a JSON transform file.</summary>
    /// <exception cref="InvalidImageDataException">Malformed JSON or members.</exception>
    /// <exception cref="GeometryException">A non-rigid matrix, or matrix and versor that disagree.</exception>
    public static RigidTransform Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(InputFile.ReadAllText(path), path);
    }

    /// <summary>Parses JSON text; <paramref name="source"/> names it in messages.</summary>
    public static RigidTransform Parse(string json, string source = "transform JSON")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidImageDataException($"{source}: not valid JSON ({e.Message}).", e); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidImageDataException($"{source}: the JSON root must be an object.");
            Vec3 center = Optional(root, "center", 3, source) is { } c ? new Vec3(c[0], c[1], c[2]) : Vec3.Zero;
            double[,]? matrix = null;
            if (root.TryGetProperty("matrix", out var m))
            {
                matrix = new double[4, 4];
                if (m.ValueKind != JsonValueKind.Array || m.GetArrayLength() != 4)
                    throw new InvalidImageDataException($"{source}: 'matrix' must be 4 rows of 4 numbers.");
                int r = 0;
                foreach (var row in m.EnumerateArray())
                {
                    var v = Numbers(row, 4, source, "matrix row");
                    for (int col = 0; col < 4; col++) matrix[r, col] = v[col];
                    r++;
                }
            }
            RigidTransform result;
            if (Optional(root, "versor", 4, source) is { } q)
            {
                var t = Optional(root, "translation", 3, source) ?? [0, 0, 0];
                try { result = new RigidTransform(new Versor(q[0], q[1], q[2], q[3]), new Vec3(t[0], t[1], t[2]), center); }
                catch (GeometryException e) { throw new GeometryException($"{source}: {e.Message}"); }
                if (matrix is not null)
                {
                    var expected = result.ToMatrix4x4();
                    double worst = 0;
                    for (int i = 0; i < 4; i++)
                        for (int j = 0; j < 4; j++)
                            worst = Math.Max(worst, Math.Abs(expected[i, j] - matrix[i, j]));
                    if (worst > ConsistencyTolerance)
                        throw new GeometryException(string.Create(CultureInfo.InvariantCulture,
                            $"{source}: 'matrix' and 'versor'/'translation'/'center' describe different transforms (largest difference {worst:G3}); keep one of them."));
                }
                return result;
            }
            if (matrix is null) throw new InvalidImageDataException($"{source}: neither 'versor' nor 'matrix' is present.");
            try { return RigidTransform.FromMatrix4x4(matrix, center, ItkTransformFile.RigidTolerance); }
            catch (GeometryException e) { throw new GeometryException($"{source}: {e.Message}"); }
        }
    }

    private static double[]? Optional(JsonElement root, string name, int count, string source) =>
        root.TryGetProperty(name, out var e) ? Numbers(e, count, source, name) : null;

    private static double[] Numbers(JsonElement e, int count, string source, string name)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != count)
            throw new InvalidImageDataException($"{source}: '{name}' must be an array of {count} numbers.");
        var v = new double[count];
        int n = 0;
        foreach (var x in e.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.Number || !x.TryGetDouble(out v[n]) || !double.IsFinite(v[n]))
                throw new InvalidImageDataException($"{source}: '{name}' must hold finite numbers.");
            n++;
        }
        return v;
    }

    /// <summary>The JSON text of a transform (indented, round-trip precision).</summary>
    public static string Format(RigidTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            WriteTo(w, transform);
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes the transform's members as one JSON object.</summary>
    public static void WriteTo(Utf8JsonWriter writer, RigidTransform transform)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteMembers(writer, transform);
        writer.WriteEndObject();
    }

    /// <summary>Writes the transform's members (matrix, translation, versor, center) into the object being written, so a caller can add its own beside them.</summary>
    public static void WriteMembers(Utf8JsonWriter writer, RigidTransform transform)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(transform);
        var m = transform.ToMatrix4x4();
        writer.WriteStartArray("matrix");
        for (int r = 0; r < 4; r++) writer.WriteNumberArray(null, [m[r, 0], m[r, 1], m[r, 2], m[r, 3]]);
        writer.WriteEndArray();
        writer.WriteVec3("translation", transform.Translation);
        var q = transform.Rotation;
        writer.WriteNumberArray("versor", [q.X, q.Y, q.Z, q.W]);
        writer.WriteVec3("center", transform.Center);
    }

    /// <summary>Writes a transform as JSON (temporary file, then move).</summary>
    public static void Write(RigidTransform transform, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Encoding.UTF8.GetBytes(Format(transform));
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}
