using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ImageGuide.Planning;

/// <summary>
/// Clearances of one path by structure name: a value array over a key order shared by every path of a planner, so a
/// search over tens of thousands of entries allocates one small array per path instead of a hash table.
/// </summary>
internal sealed class ClearanceMap : IReadOnlyDictionary<string, double>
{
    private readonly ClearanceKeys _keys;
    private readonly double[] _values;

    public ClearanceMap(ClearanceKeys keys, double[] values)
    {
        _keys = keys;
        _values = values;
    }

    public double this[string key] => TryGetValue(key, out double v) ? v : throw new KeyNotFoundException($"No clearance for '{key}'.");
    public IEnumerable<string> Keys => _keys.Names;
    public IEnumerable<double> Values => _values;
    public int Count => _values.Length;
    public bool ContainsKey(string key) => _keys.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
    {
        int n = _keys.IndexOf(key);
        value = n >= 0 ? _values[n] : 0;
        return n >= 0;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (int n = 0; n < _values.Length; n++) yield return new(_keys.Names[n], _values[n]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The structure names of a <see cref="ClearanceMap"/>, in order, with an ordinal lookup.</summary>
internal sealed class ClearanceKeys(IReadOnlyList<string> names)
{
    private readonly Dictionary<string, int> _index = Index(names);

    public IReadOnlyList<string> Names { get; } = names;

    public int IndexOf(string name) => name is not null && _index.TryGetValue(name, out int n) ? n : -1;

    private static Dictionary<string, int> Index(IReadOnlyList<string> names)
    {
        var d = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (int n = 0; n < names.Count; n++) d[names[n]] = n;
        return d;
    }
}
