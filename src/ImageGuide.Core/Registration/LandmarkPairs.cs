using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Registration;

/// <summary>Corresponding fixed/moving landmark positions for TRE, and what could not be paired.</summary>
/// <param name="Names">Name of each pair (the fixed landmark's).</param>
/// <param name="Fixed">Fixed-image positions (LPS mm).</param>
/// <param name="Moving">Moving-image positions (LPS mm), same order.</param>
/// <param name="Unpaired">Names present in only one of the lists.</param>
public sealed record LandmarkPairs(IReadOnlyList<string> Names, IReadOnlyList<Vec3> Fixed, IReadOnlyList<Vec3> Moving, IReadOnlyList<string> Unpaired)
{
    /// <summary>
    /// Pairs landmarks by name when both lists have unique, non-empty names in common (RIRE, Slicer and the phantom's
    /// files do); otherwise by order when the lists have the same length.
    /// </summary>
    /// <exception cref="RegistrationException">No common names and different lengths: nothing can be paired safely.</exception>
    public static LandmarkPairs Match(IReadOnlyList<Landmark> fixedLandmarks, IReadOnlyList<Landmark> movingLandmarks)
    {
        ArgumentNullException.ThrowIfNull(fixedLandmarks);
        ArgumentNullException.ThrowIfNull(movingLandmarks);
        var moving = new Dictionary<string, Vec3>(StringComparer.Ordinal);
        bool unique = true;
        foreach (var m in movingLandmarks)
            if (string.IsNullOrWhiteSpace(m.Name) || !moving.TryAdd(m.Name, m.PositionLps)) unique = false;
        var fixedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in fixedLandmarks)
            if (string.IsNullOrWhiteSpace(f.Name) || !fixedNames.Add(f.Name)) unique = false;
        var names = new List<string>();
        var fixedPts = new List<Vec3>();
        var movingPts = new List<Vec3>();
        var unpaired = new List<string>();
        if (unique && fixedNames.Overlaps(moving.Keys))
        {
            foreach (var f in fixedLandmarks)
            {
                if (!moving.TryGetValue(f.Name, out var m)) { unpaired.Add(f.Name); continue; }
                names.Add(f.Name); fixedPts.Add(f.PositionLps); movingPts.Add(m);
            }
            foreach (var name in moving.Keys) if (!fixedNames.Contains(name)) unpaired.Add(name);
            return new LandmarkPairs(names, fixedPts, movingPts, unpaired);
        }
        if (fixedLandmarks.Count != movingLandmarks.Count || fixedLandmarks.Count == 0)
            throw new RegistrationException(
                $"Cannot pair {fixedLandmarks.Count} fixed with {movingLandmarks.Count} moving landmarks: they share no unique names and differ in number. Name corresponding points alike, or list them in the same order.");
        for (int i = 0; i < fixedLandmarks.Count; i++)
        {
            names.Add(string.IsNullOrWhiteSpace(fixedLandmarks[i].Name) ? $"#{i + 1}" : fixedLandmarks[i].Name);
            fixedPts.Add(fixedLandmarks[i].PositionLps);
            movingPts.Add(movingLandmarks[i].PositionLps);
        }
        return new LandmarkPairs(names, fixedPts, movingPts, unpaired);
    }
}
