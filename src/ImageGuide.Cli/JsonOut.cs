using System.Text.Json;
using ImageGuide.Imaging;
using ImageGuide.IO;

namespace ImageGuide.Cli;

/// <summary>Small helpers for the CLI's JSON outputs.</summary>
internal static class JsonOut
{
    public static void Vector(Utf8JsonWriter w, string? name, Vec3 v) => Array(w, name, v.X, v.Y, v.Z);

    public static void Array(Utf8JsonWriter w, string? name, params double[] values)
    {
        if (name is null) w.WriteStartArray();
        else w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValueOrNull(v);
        w.WriteEndArray();
    }
}
