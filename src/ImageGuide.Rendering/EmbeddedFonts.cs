using ScottPlot;
using SkiaSharp;

namespace ImageGuide.Rendering;

/// <summary>
/// The one font of every picture and PDF this assembly draws: DejaVu Sans 2.37 (regular and bold), embedded in the
/// assembly (<c>Fonts/*.ttf</c>, Bitstream Vera licence in <c>Fonts/LICENSE-DejaVu.txt</c>). Embedded rather than looked up
/// by family name because the Linux Skia library used here (NoDependencies) has no fontconfig: a system lookup finds
/// whatever happens to be installed, or nothing, so text would differ between machines or vanish.
/// </summary>
public static class EmbeddedFonts
{
    /// <summary>The family name under which ScottPlot resolves the embedded font.</summary>
    public const string FamilyName = "ImageGuide DejaVu Sans";

    private static readonly Lazy<SKTypeface> RegularFace = new(() => Load("DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> BoldFace = new(() => Load("DejaVuSans-Bold.ttf"));
    private static int _registered;

    /// <summary>DejaVu Sans (shared; do not dispose).</summary>
    public static SKTypeface Regular => RegularFace.Value;

    /// <summary>DejaVu Sans Bold (shared; do not dispose).</summary>
    public static SKTypeface Bold => BoldFace.Value;

    /// <summary>Makes <see cref="FamilyName"/> resolve to the embedded faces in ScottPlot (once per process).</summary>
    public static void RegisterWithScottPlot()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0) Fonts.FontResolvers.Insert(0, new Resolver());
    }

    private static SKTypeface Load(string file)
    {
        string name = "ImageGuide.Rendering.Fonts." + file;
        using var stream = typeof(EmbeddedFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font resource {name} is missing from ImageGuide.Rendering; rebuild the assembly.");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"Skia could not read the embedded font {file}.");
    }

    private sealed class Resolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
            CreateTypeface(fontName, weight >= FontWeight.SemiBold, slant != FontSlant.Upright);

        // ScottPlot may dispose what it gets, so each call gets its own typeface over the resource
        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            fontName == FamilyName ? Load(bold ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf") : null;
    }
}
