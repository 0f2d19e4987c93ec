using System.Globalization;
using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// Finds and names the vertebrae on a CT or cone-beam CT, classically (thresholds and geometry, no learned weights), for
/// per-vertebra fusion. Steps: (1) the voxels are re-indexed to left/posterior/superior axes (<see cref="SpineGrid"/>);
/// (2) the spinal canal — soft tissue enclosed by bone — is traced slice by slice (<see cref="SpinalCanal"/>); (3) the line
/// through the vertebral bodies in front of it and the HU profile along it are built (<see cref="BodyProfile"/>); (4) discs
/// are the dips of that profile flanked closely by bright end plates (<see cref="DiscFinder"/>); (5) bone near the canal
/// (discs taken out, body marrow filled in) is split: the bodies by the planes through the disc centres perpendicular to
/// the body line, the posterior elements by the body nearest through the bone (<see cref="VertebraLabeller"/>,
/// <see cref="BoneGeodesics"/>); (6) the
/// vertebrae are named from the anchor, or else from the sacrum below the lowest disc, or else from the last rib
/// (<see cref="SpineLandmarks"/>). Thread-safe; deterministic for given inputs.
/// </summary>
public static class VertebraFinder
{
    /// <summary>Finds, labels and names the vertebrae of <paramref name="ct"/> (HU).</summary>
    /// <param name="ct">CT or CBCT in HU, any orientation; the spine roughly along one voxel axis.</param>
    /// <param name="anchor">
    /// The level of the most caudal mobile vertebra found (e.g. "L5"; the bone below it, when it looks like the sacrum, is
    /// labelled sacrum), or "sacrum"/"S1" for the most caudal segment found. Null to guess (see <see cref="FoundVertebrae.NamingReason"/>).
    /// </param>
    /// <param name="settings">Thresholds; <see cref="VertebraFinderSettings.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <exception cref="SegmentationException">
    /// A bad anchor or setting, a volume too small to hold a vertebra, no bone (not in HU?), no spinal canal or no disc found.
    /// </exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static FoundVertebrae Find(Volume<float> ct, string? anchor = null, VertebraFinderSettings? settings = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ct);
        var s = settings ?? VertebraFinderSettings.Default;
        s.Validate();
        double? anchorRank = null;
        if (anchor is not null)
        {
            anchorRank = VertebraLevel.Rank(anchor);
            if (anchorRank is not { } r || r != Math.Floor(r) || r > 27 || NameOfRank((int)r) is null)
                throw new SegmentationException($"Anchor '{anchor}' is not a vertebra level with a TotalSegmentator label: give C1…C7, T1…T12, L1…L5, S1 or sacrum.");
        }

        // A CBCT without a Hounsfield scale is mapped onto approximate HU first (air and soft-tissue peaks), and says so.
        var calibration = GreyCalibration.Estimate(ct);
        var warnings = new List<string>();
        if (!calibration.IsIdentity)
        {
            warnings.Add(calibration.Reason);
            ct = calibration.Apply(ct);
        }
        // Analysis on a lightly smoothed copy (σ = 1 mm: no change at ≥ 1.5 mm voxels, tames thin-slice noise; more for
        // an uncalibrated CBCT's noise).
        var g = SpineGrid.From(ct, cancellationToken).Smoothed(calibration.IsIdentity ? 1.0 : s.UncalibratedSmoothingMm, cancellationToken);
        double exX = g.Nx * g.Sx, exY = g.Ny * g.Sy, exZ = g.Nz * g.Sz;
        if (exX < 40 || exY < 40 || exZ < 30)
            throw new SegmentationException(
                $"The volume spans only {Num(exX)} × {Num(exY)} mm in-plane and {Num(exZ)} mm cranio-caudally ({g.Nx}×{g.Ny}×{g.Nz} voxels): " +
                "too small to hold a vertebra with its canal and a disc. Give a scan covering at least 4 × 4 cm and 3 cm of spine.");
        long boneVoxels = 0;
        foreach (float v in g.Data) if (v >= s.BoneSeedHu) boneVoxels++;
        double boneMl = boneVoxels * g.Sx * g.Sy * g.Sz / 1000;
        if (boneMl < 5)
            throw new SegmentationException(
                $"No bone in the volume: only {Num(boneMl)} ml above {Num(s.BoneSeedHu)} HU (a single lumbar vertebra has ≈ 30 ml). " +
                "Check that the image is a CT in Hounsfield units (rescale applied) and that it covers the spine.");

        var enclosure = SpinalCanal.Enclosure(g, s, cancellationToken);
        var canal = SpinalCanal.Trace(g, enclosure, s, 30, cancellationToken) ?? throw new SegmentationException(
            $"No spinal canal found: no tube of soft tissue enclosed by bone (> {Num(s.BoneSeedHu)} HU) runs ≥ 30 mm through the volume. " +
            "Check that the scan covers the spine with its posterior elements and is in HU, or lower BoneSeedHu for a low-dose CBCT." + NotHuHint(ct));
        cancellationToken.ThrowIfCancellationRequested();
        var profile = BodyProfile.Build(g, canal, s, cancellationToken) ?? throw new SegmentationException(
            "The spinal canal was found but no vertebral body in front of it: check the orientation (anterior/posterior) of the image header." + NotHuHint(ct));
        var discs = DiscFinder.Find(profile, s);
        if (discs.Count == 0)
            throw new SegmentationException(
                $"No intervertebral disc found along the spine: no dip ≥ {Num(s.MinDiscContrastHu)} HU between bright end plates. " +
                "The scan may cover less than two vertebrae, or the spine is fused; lower MinDiscContrastHu for low-contrast CBCT." + NotHuHint(ct));

        double period = MedianPeriod(discs);
        int nDiscs = discs.Count;
        // End segments: the one above the top disc and the one below the lowest.
        int topLen = profile.Hu.Length - 1 - discs[^1];
        // An end segment is kept (as a partial vertebra) when it reaches ≥ max(8 mm, a quarter period) past its disc and
        // holds bone (profile above BoneGrowHu, brighter than any disc).
        double endMinMm = Math.Max(8, 0.25 * period), endMinHu = s.BoneGrowHu;
        bool keepTop = topLen * BodyProfile.StepMm >= endMinMm && MaxHu(profile.Hu, discs[^1] + 3, profile.Hu.Length - 1) >= endMinHu;
        double zLow = profile.Points[discs[0]].Z;
        int zLowIdx = (int)Math.Round(zLow / g.Sz);
        double sacrumWidth = SpineLandmarks.MaxBoneWidthMm(g, canal, s, zLowIdx - (int)Math.Round(35 / g.Sz), zLowIdx - (int)Math.Round(8 / g.Sz));
        bool sacrum = sacrumWidth >= SacrumMinWidthMm && zLow >= 20;
        bool keepBottom = sacrum || (discs[0] * BodyProfile.StepMm >= endMinMm && MaxHu(profile.Hu, 0, discs[0] - 3) >= endMinHu);

        // Segments, caudal first: index j = 0 below disc 0 … nDiscs above the last disc.
        var segments = new List<int>();
        if (keepBottom) segments.Add(0);
        for (int j = 1; j < nDiscs; j++) segments.Add(j);
        if (keepTop) segments.Add(nDiscs);
        if (segments.Count == 0)
            throw new SegmentationException("One disc was found but no vertebra on either side of it is in the field of view; give a scan covering whole vertebrae.");
        bool bottomIsSacrum = keepBottom && sacrum;

        // Names.
        var mobile = new List<int>();
        foreach (int j in segments) if (!(j == 0 && bottomIsSacrum)) mobile.Add(j);
        string reason;
        int caudalMobileRank; // rank of mobile[0]
        if (anchorRank is { } ar)
        {
            if (ar >= 26)
            {
                if (!bottomIsSacrum)
                {
                    if (keepBottom) { bottomIsSacrum = true; mobile.Remove(0); }
                    else warnings.Add("The anchor names the sacrum but no bone below the lowest disc was found; the levels are counted as if it lay just below.");
                }
                caudalMobileRank = 24;
                reason = $"Anchor '{anchor}': the most caudal segment found is the sacrum, the vertebra above it L5.";
            }
            else
            {
                caudalMobileRank = (int)ar;
                reason = $"Anchor '{anchor}': the most caudal mobile vertebra found is {NameOfRank((int)ar)}; the others are counted cranially from it.";
                if (bottomIsSacrum && ar != 24)
                    warnings.Add($"The bone below the lowest disc looks like the sacrum ({Num(sacrumWidth)} mm wide), which would make the vertebra above it L5, but the anchor says {anchor}; the anchor was followed.");
            }
        }
        else if (bottomIsSacrum)
        {
            caudalMobileRank = 24;
            reason = $"Guess: the bone below the lowest disc is the sacrum (bone {Num(sacrumWidth)} mm wide joins it, ≥ {Num(SacrumMinWidthMm)} mm: alae and ilia), " +
                "so the vertebra above it was named L5, assuming 5 lumbar vertebrae. Give an anchor if the patient has a transitional lumbosacral vertebra.";
        }
        else if (RibCue(g, canal, profile, discs, mobile, s) is var t12 && t12 >= 0)
        {
            caudalMobileRank = 19 + t12;
            reason = $"Guess: no sacrum below the lowest disc; the most caudal vertebra with ribs on both sides was named T12 (the one below it has none), " +
                "assuming 12 rib pairs. This cue is weak (the 12th rib can be short, the iliac crests can look like ribs): give an anchor to be sure.";
            warnings.Add("The vertebrae were named from the last rib, a weak cue: check the naming or give an anchor.");
        }
        else
        {
            caudalMobileRank = 24;
            reason = "Weak guess: neither the sacrum nor a last rib is in view, so the most caudal vertebra found was named L5 arbitrarily. Give an anchor (e.g. the level of the most caudal vertebra) for a reliable naming.";
            warnings.Add("The vertebra names are an unsupported guess (no sacrum or last rib in view): give an anchor.");
        }

        // Label values per segment.
        var labelOfSegment = new byte[nDiscs + 1];
        var levels = new List<VertebraLevel>();
        if (bottomIsSacrum) labelOfSegment[0] = 25;
        for (int m = 0; m < mobile.Count; m++)
        {
            string? name = NameOfRank(caudalMobileRank - m);
            if (name is null) { warnings.Add($"A vertebra above {NameOfRank(caudalMobileRank - m + 1)} would be above C1 under this naming and was left unlabelled: check the anchor."); continue; }
            labelOfSegment[mobile[m]] = VertebraLevel.TotalSegmentatorLabelOfRank(caudalMobileRank - m)!.Value;
        }

        double limitTop = 1.2 * period, limitBottom = bottomIsSacrum ? 120 : 1.2 * period;
        var planes = DiscPlanes.Fit(g, profile, discs, cancellationToken);
        var seg = VertebraLabeller.Assign(g, SpinalCanal.Enclosure(g, s with { CanalRayMm = VertebraLabeller.MarrowRayMm }, cancellationToken), canal, profile, discs, planes, s, cancellationToken);
        var canonical = new byte[seg.Length];
        var counts = new long[256];
        var pTop = planes.Points[^1]; var nTop = planes.Normals[^1];
        var pBot = planes.Points[0]; var nBot = planes.Normals[0];
        int nx = g.Nx, ny = g.Ny;
        for (int i = 0; i < seg.Length; i++)
        {
            int sg = seg[i];
            if (sg == 0) continue;
            byte lab = labelOfSegment[sg - 1];
            if (lab == 0) continue;
            if (sg - 1 == nDiscs || sg == 1)
            {
                var p = new Vec3(i % nx * g.Sx, i / nx % ny * g.Sy, i / (nx * ny) * g.Sz);
                if (sg - 1 == nDiscs && Vec3.Dot(p - pTop, nTop) > limitTop) continue;
                if (sg == 1 && -Vec3.Dot(p - pBot, nBot) > limitBottom) continue;
            }
            canonical[i] = lab;
            counts[lab]++;
        }
        double voxelMl = g.Sx * g.Sy * g.Sz / 1000;
        for (int lab = 25; lab <= 50; lab++)
        {
            if (counts[lab] == 0) continue;
            string name = VertebraLevel.TotalSegmentatorName(lab)!;
            if (counts[lab] * voxelMl < 1)
            {
                warnings.Add($"{name}: only {Num(counts[lab] * voxelMl)} ml of bone, left out.");
                for (int i = 0; i < canonical.Length; i++) if (canonical[i] == lab) canonical[i] = 0;
                continue;
            }
            levels.Add(new VertebraLevel((byte)lab, name));
        }
        levels.Sort((a, b) => b.Label.CompareTo(a.Label)); // TotalSegmentator labels grow cranially
        if (keepTop && labelOfSegment[nDiscs] != 0)
            warnings.Add($"{VertebraLevel.TotalSegmentatorName(labelOfSegment[nDiscs])} is cut by the cranial edge of the field of view (no disc above it seen); its label is partial.");
        if (keepBottom && !bottomIsSacrum && labelOfSegment[0] != 0)
            warnings.Add($"{VertebraLevel.TotalSegmentatorName(labelOfSegment[0])} is cut by the caudal edge of the field of view (no disc below it seen); its label is partial.");
        for (int k = 1; k < nDiscs; k++)
        {
            double gap = (discs[k] - discs[k - 1]) * BodyProfile.StepMm;
            if (gap > 1.6 * period)
                warnings.Add($"Two discs {Num(gap)} mm apart (median spacing {Num(period)} mm): a disc may have been missed there (fused or degenerate level), which shifts every name above it.");
        }
        if (canal.FoundSlices * g.Sz < 0.3 * (canal.Last - canal.First + 1) * g.Sz)
            warnings.Add("The spinal canal was seen in few slices; the spine line is largely interpolated.");
        // The surface: at the half-maximum of the local edge where the cortex is resolved (≤ 2 mm voxels); else, on an image
        // without a Hounsfield scale, the ring that its extra smoothing spread outwards is peeled at the seed level.
        if (Math.Max(g.Sx, Math.Max(g.Sy, g.Sz)) <= PartialVolumeBoundary.MaxVoxelMm) PartialVolumeBoundary.Refine(g, canonical, cancellationToken);
        else if (!calibration.IsIdentity) PeelBoundary(g, canonical, (float)s.BoundaryHu);
        var labels = g.ToOriginal(canonical, cancellationToken);
        return new FoundVertebrae(labels, levels, reason, warnings);
    }

    /// <summary>Drops, once, every labelled voxel below <paramref name="boundaryHu"/> with a 6-neighbour outside its label (the partial-volume ring).</summary>
    private static void PeelBoundary(SpineGrid g, byte[] labels, float boundaryHu)
    {
        int nx = g.Nx, ny = g.Ny, nz = g.Nz;
        long plane = (long)nx * ny;
        var drop = new List<long>();
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    long i = z * plane + (long)y * nx + x;
                    byte l = labels[i];
                    if (l == 0 || g.Data[i] >= boundaryHu) continue;
                    if (x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1 || labels[i - 1] != l || labels[i + 1] != l
                        || labels[i - nx] != l || labels[i + nx] != l || labels[i - plane] != l || labels[i + plane] != l)
                        drop.Add(i);
                }
        foreach (long i in drop) labels[i] = 0;
    }

    /// <summary>Widest bone joined to the body just below the lowest disc beyond which that bone is taken for the sacrum (mm).</summary>
    private const double SacrumMinWidthMm = 110;

    /// <summary>Index in <paramref name="mobile"/> of the most caudal vertebra with ribs on both sides whose neighbour below has none; −1 when unseen.</summary>
    private static int RibCue(SpineGrid g, SpinalCanal canal, BodyProfile profile, List<int> discs, List<int> mobile, VertebraFinderSettings s)
    {
        if (mobile.Count < 2) return -1;
        var frac = new double[mobile.Count];
        for (int m = 0; m < mobile.Count; m++)
        {
            int j = mobile[m];
            double z0 = j > 0 ? profile.Points[discs[j - 1]].Z : profile.Points[discs[0]].Z - 25;
            double z1 = j < discs.Count ? profile.Points[discs[j]].Z : profile.Points[discs[^1]].Z + 25;
            frac[m] = SpineLandmarks.LateralBoneFraction(g, canal, s, (int)Math.Round(z0 / g.Sz), (int)Math.Round(z1 / g.Sz));
        }
        // From the top down: rib-bearing vertebrae, then the first without ribs.
        if (frac[^1] < 0.5) return -1;
        for (int m = mobile.Count - 2; m >= 0; m--)
            if (frac[m] < 0.2) return m + 1;
        return -1;
    }

    private static double MedianPeriod(List<int> discs)
    {
        if (discs.Count < 2) return 30;
        var d = new List<double>();
        for (int k = 1; k < discs.Count; k++) d.Add((discs[k] - discs[k - 1]) * BodyProfile.StepMm);
        d.Sort();
        return d[d.Count / 2];
    }

    private static double MaxHu(double[] hu, int from, int to)
    {
        double m = double.MinValue;
        for (int i = Math.Max(0, from); i <= Math.Min(hu.Length - 1, to); i++) if (!double.IsNaN(hu[i])) m = Math.Max(m, hu[i]);
        return m;
    }

    /// <summary>Level name of a cranio-caudal rank that TotalSegmentator numbers (C1 … L5, S1, sacrum); null otherwise.</summary>
    private static string? NameOfRank(int r) =>
        VertebraLevel.TotalSegmentatorLabelOfRank(r) is { } label ? VertebraLevel.TotalSegmentatorName(label) : null;

    private static string Num(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// A CT or CBCT in HU holds fat or air (below −50 HU) somewhere; when this image holds almost none it is probably
    /// an MR or a CT without its rescale applied, and the error says so.
    /// </summary>
    private static string NotHuHint(Volume<float> image)
    {
        long low = 0;
        foreach (float v in image.Data) if (v < -50) low++;
        return low * 1000 >= image.Data.LongLength ? ""
            : " The image has almost no values below −50 HU (no fat, no air), so it does not look like a CT in Hounsfield units — an MR? Vertebrae are found on CT/CBCT only; give the vertebra labels (--fixed-labels) instead.";
    }
}
