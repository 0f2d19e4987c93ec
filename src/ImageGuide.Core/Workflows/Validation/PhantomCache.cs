using ImageGuide.Phantoms;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// One run's generated phantoms: cases that share phantom options (e.g. CT→MR and CBCT→MR of one seed) share one
/// generation, and each phantom is dropped once the last case that needs it has been loaded or resumed.
/// Thread-safe.
/// </summary>
internal sealed class PhantomCache
{
    private readonly Dictionary<PhantomOptions, (Lazy<PhantomCase> Phantom, int Remaining)> _entries = [];

    /// <summary>Counts the cases of <paramref name="cases"/> that use each phantom; generation is cancelled by <paramref name="cancellationToken"/>.</summary>
    public PhantomCache(IEnumerable<ValidationCase> cases, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<PhantomOptions, int>();
        foreach (var c in cases)
            if (c.Images is PhantomCaseImages p) counts[p.Options] = counts.GetValueOrDefault(p.Options) + 1;
        foreach (var (options, count) in counts)
            _entries[options] = (new Lazy<PhantomCase>(() => PhantomGenerator.Generate(options, null, cancellationToken)), count);
    }

    /// <summary>The phantom for <paramref name="options"/>, generated on first use.</summary>
    public PhantomCase Get(PhantomOptions options)
    {
        Lazy<PhantomCase> phantom;
        lock (_entries) phantom = _entries[options].Phantom;
        return phantom.Value;
    }

    /// <summary>Marks one case of <paramref name="c"/>'s phantom as done; the last one releases the phantom.</summary>
    public void Release(ValidationCase c)
    {
        if (c.Images is not PhantomCaseImages p) return;
        lock (_entries)
        {
            var (phantom, remaining) = _entries[p.Options];
            if (remaining <= 1) _entries.Remove(p.Options);
            else _entries[p.Options] = (phantom, remaining - 1);
        }
    }
}
