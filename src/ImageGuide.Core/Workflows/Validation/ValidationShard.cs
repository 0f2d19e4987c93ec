using System.Globalization;
using System.Text;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// One of <see cref="Count"/> deterministic partitions of a manifest's cases, chosen by case id with rendezvous
/// (highest-random-weight) hashing: a case belongs to the shard whose weight <c>mix(FNV-1a-64(id) ⊕ shard)</c> is
/// highest. The assignment depends only on the case id and the shard count — not on the manifest's order or its other
/// cases — so adding cases never moves an existing case to another shard (a grown manifest resumes in the same shard
/// folders), and changing the shard count moves only about 1/N of the cases. Balance is statistical: shard sizes are
/// binomial, within a few √(cases/N) of cases/N (measured, ShardMergeTests: 10,000 ids over 4 shards gave 2472, 2562,
/// 2501 and 2465 cases — at most 2.5 % from 2,500, 1.4 σ; over 8 shards at most 5.0 %). Exact balance and stability under added cases exclude each other without stored state, and
/// stability is what makes resuming a grown manifest work. The hash is the project's own (FNV-1a over the UTF-8 id,
/// finished by the SplitMix64 mixer), so it is the same on every machine, runtime and version.
/// </summary>
/// <param name="Index">1-based shard number, 1…<paramref name="Count"/>.</param>
/// <param name="Count">Number of shards, at least 1.</param>
public readonly record struct ValidationShard(int Index, int Count)
{
    /// <summary>The whole manifest as one shard (an unsharded run).</summary>
    public static ValidationShard All => new(1, 1);

    /// <summary>Name of the partition scheme, recorded in shard markers so folders of another scheme are not mixed.</summary>
    public const string Scheme = "rendezvous-fnv1a64-splitmix64";

    /// <summary>True for the unsharded run (1/1).</summary>
    public bool IsWhole => Count == 1;

    /// <summary>Parses <c>K/N</c> (1 ≤ K ≤ N ≤ 10000).</summary>
    /// <exception cref="ValidationException">Not of that form.</exception>
    public static ValidationShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n is >= 1 and <= 10_000 && k >= 1 && k <= n)
            return new ValidationShard(k, n);
        throw new ValidationException($"--shard '{text}': give the shard as K/N with 1 ≤ K ≤ N ≤ 10000 (e.g. 3/8 for the third of eight shards).");
    }

    /// <summary>The shard (1-based) that case <paramref name="caseId"/> belongs to among <paramref name="count"/> shards.</summary>
    public static int Of(string caseId, int count)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ulong h = Fnv1a64(caseId);
        int best = 0;
        ulong bestWeight = 0;
        for (int s = 0; s < count; s++)
        {
            ulong w = SplitMix64(h ^ ((ulong)(s + 1) * 0x9E3779B97F4A7C15UL));
            if (s == 0 || w > bestWeight) (best, bestWeight) = (s, w);
        }
        return best + 1;
    }

    /// <summary>True when case <paramref name="caseId"/> belongs to this shard.</summary>
    public bool Contains(string caseId) => Count == 1 || Of(caseId, Count) == Index;

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Index}/{Count}");

    /// <summary>FNV-1a, 64 bit, over the UTF-8 bytes of <paramref name="text"/>.</summary>
    internal static ulong Fnv1a64(string text)
    {
        ulong h = 0xCBF29CE484222325UL;
        // case ids are at most 100 characters (ValidationManifestReader): 512 bytes hold any of them in UTF-8
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> bytes = max <= 512 ? stackalloc byte[512] : new byte[max];
        int n = Encoding.UTF8.GetBytes(text, bytes);
        foreach (byte b in bytes[..n]) h = (h ^ b) * 0x100000001B3UL;
        return h;
    }

    private static ulong SplitMix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
