namespace ImageGuide.Model;

/// <summary>Clinical role of a labelled structure; planning treats each role differently.</summary>
public enum LabelRole
{
    /// <summary>The structure to treat (e.g. tumour).</summary>
    Target,
    /// <summary>A structure to keep clear of (cord, nerve roots, aorta); has a clearance.</summary>
    Critical,
    /// <summary>Bone: needles cannot pass through it.</summary>
    Bone,
    /// <summary>The body outline (skin): entry points lie on its surface.</summary>
    Body,
    /// <summary>Anything else.</summary>
    Other,
}

/// <summary>An sRGB display colour.</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct LabelColor(byte R, byte G, byte B);

/// <summary>One entry of a <see cref="LabelTable"/>.</summary>
/// <param name="Value">Voxel value of the structure in the label volume.</param>
/// <param name="Name">Unique name (compared without regard to case), e.g. "tumour".</param>
/// <param name="Role">Clinical role.</param>
/// <param name="ClearanceMm">Clearance overriding the default for this structure, in mm; null for the default.</param>
/// <param name="Color">Display colour, or null for the viewer's choice.</param>
public sealed record LabelDefinition(byte Value, string Name, LabelRole Role, double? ClearanceMm = null, LabelColor? Color = null);

/// <summary>
/// Meaning of the values of a label volume: value → name, role, clearance, colour. Values and names are unique
/// (names compared without regard to case). Immutable and thread-safe.
/// </summary>
public sealed class LabelTable
{
    private readonly LabelDefinition?[] _byValue = new LabelDefinition?[256];
    private readonly Dictionary<string, LabelDefinition> _byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a table, validating uniqueness and clearances.</summary>
    /// <exception cref="InvalidImageDataException">Duplicate value or name, empty name, or a negative/non-finite clearance.</exception>
    public LabelTable(IEnumerable<LabelDefinition> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var list = new List<LabelDefinition>();
        foreach (var l in labels)
        {
            ArgumentNullException.ThrowIfNull(l);
            if (string.IsNullOrWhiteSpace(l.Name))
                throw new InvalidImageDataException($"Label value {l.Value} has an empty name.");
            if (_byValue[l.Value] is { } other)
                throw new InvalidImageDataException($"Label value {l.Value} is defined twice ('{other.Name}' and '{l.Name}').");
            if (!_byName.TryAdd(l.Name, l))
                throw new InvalidImageDataException($"Label name '{l.Name}' is used by two values ({_byName[l.Name].Value} and {l.Value}).");
            if (l.ClearanceMm is { } c && !(c >= 0 && double.IsFinite(c)))
                throw new InvalidImageDataException($"Label '{l.Name}' has clearanceMm {c}; it must be finite and ≥ 0.");
            _byValue[l.Value] = l;
            list.Add(l);
        }
        Labels = list;
    }

    /// <summary>The entries in file order.</summary>
    public IReadOnlyList<LabelDefinition> Labels { get; }

    /// <summary>The entry of a voxel value, if any.</summary>
    public bool TryGet(byte value, out LabelDefinition definition)
    {
        definition = _byValue[value]!;
        return definition is not null;
    }

    /// <summary>The entry of a name (case-insensitive), if any.</summary>
    public bool TryGet(string name, out LabelDefinition definition) => _byName.TryGetValue(name, out definition!);

    /// <summary>The entry of a name; raises <see cref="ImageGuideException"/> listing the known names when absent.</summary>
    public LabelDefinition this[string name] => TryGet(name, out var d)
        ? d
        : throw new ImageGuideException($"No label named '{name}'; the table has {string.Join(", ", Labels.Select(l => l.Name))}.");

    /// <summary>Entries with the given role.</summary>
    public IReadOnlyList<LabelDefinition> WithRole(LabelRole role) => Labels.Where(l => l.Role == role).ToArray();
}
