using System.Globalization;
using System.Text;

namespace ImageGuide.Phantoms;

/// <summary>
/// The labels of a label map (value → name, role, clearance). Serialises to the label-table JSON of
/// ARCHITECTURE.md: <c>{"labels":[{"value":1,"name":"tumour","role":"Target"}, …]}</c>. Immutable.
/// </summary>
public sealed class AnatomyLabelTable
{
    private readonly AnatomyLabel?[] _byValue = new AnatomyLabel?[256];
    private readonly AnatomyLabel[] _labels;

    /// <summary>Creates a table; values must be 1–255 and values and names unique.</summary>
    public AnatomyLabelTable(IEnumerable<AnatomyLabel> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _labels = [.. labels];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in _labels)
        {
            if (l.Value == 0) throw new ImageGuideException($"Label '{l.Name}' uses value 0, which is reserved for background.");
            if (_byValue[l.Value] is not null) throw new ImageGuideException($"Label value {l.Value} is used twice ('{_byValue[l.Value]!.Name}' and '{l.Name}').");
            if (!names.Add(l.Name)) throw new ImageGuideException($"Label name '{l.Name}' is used twice.");
            _byValue[l.Value] = l;
        }
    }

    /// <summary>The labels in table order.</summary>
    public IReadOnlyList<AnatomyLabel> Labels => _labels;

    /// <summary>The label with voxel value <paramref name="value"/>, or null (background or unused value).</summary>
    public AnatomyLabel? Find(byte value) => _byValue[value];

    /// <summary>The label called <paramref name="name"/>; throws <see cref="ImageGuideException"/> when absent.</summary>
    public AnatomyLabel this[string name]
    {
        get
        {
            foreach (var l in _labels) if (l.Name == name) return l;
            throw new ImageGuideException($"The label table has no label named '{name}'.");
        }
    }

    /// <summary>The table as label-table JSON (ARCHITECTURE.md format), with invariant number formatting.</summary>
    public string ToJson()
    {
        var sb = new StringBuilder("{\"labels\":[");
        for (int n = 0; n < _labels.Length; n++)
        {
            var l = _labels[n];
            if (n > 0) sb.Append(',');
            sb.Append("{\"value\":").Append(l.Value.ToString(CultureInfo.InvariantCulture))
              .Append(",\"name\":\"").Append(l.Name).Append("\",\"role\":\"").Append(l.Role.ToString()).Append('"');
            if (l.ClearanceMm is double c) sb.Append(",\"clearanceMm\":").Append(c.ToString("R", CultureInfo.InvariantCulture));
            sb.Append('}');
        }
        return sb.Append("]}").ToString();
    }
}
