using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// Settings of a synthetic spine case. Every number is a documented default that a caller can change;
/// the same options (seed included) always give the same phantom, voxel for voxel.
/// </summary>
public sealed record PhantomOptions
{
    /// <summary>Seed of every random choice (anatomy, tumour, poses, probe paths, noise).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Grid resolution (<see cref="PhantomSize.Small"/> for tests, <see cref="PhantomSize.Full"/> for clinical-size grids).</summary>
    public PhantomSize Size { get; init; } = PhantomSize.Small;

    /// <summary>Number of cryoprobes, 1–4 (&gt; 3 probes is a risk factor for major complications, docs/CLINICAL.md).</summary>
    public int ProbeCount { get; init; } = 2;

    /// <summary>Where the tumour lies: against the canal (the default; infeasible without thermal protection) or treatable.</summary>
    public TumourScenario Tumour { get; init; } = TumourScenario.AgainstCanal;

    /// <summary>
    /// Probes a plan put in the case (entry and tip in LPS mm of the diagnostic CT, e.g. <c>CryoPlan.Probes</c> planned on the
    /// CT's labels), placed into the pre-freeze and intra-procedural CTs with a seeded placement error of
    /// <see cref="ProbePlacementErrorSdMm"/>; null: the generator chooses its own <see cref="ProbeCount"/> paths. 1–8 probes.
    /// </summary>
    public IReadOnlyList<CryoProbe>? PlannedProbes { get; init; }

    /// <summary>
    /// Standard deviation (mm, per coordinate) of the Gaussian error added independently to each planned probe's tip and
    /// entry: ≈ 1.5 mm (CryoMC's placement uncertainty, docs/CLINICAL.md, Cryoablation). Used only with <see cref="PlannedProbes"/>.
    /// </summary>
    public double ProbePlacementErrorSdMm { get; init; } = 1.5;

    /// <summary>Imaging values per tissue.</summary>
    public TissueTable Tissues { get; init; } = TissueTable.Default;

    /// <summary>Standard deviation (HU) of the Gaussian noise of the diagnostic CT.</summary>
    public double DiagnosticCtNoiseHu { get; init; } = 10;

    /// <summary>Standard deviation (HU) of the Gaussian noise of the intra-procedural and pre-freeze CTs (lower dose).</summary>
    public double IntraOpCtNoiseHu { get; init; } = 15;

    /// <summary>CT attenuation change of frozen soft tissue (HU): ≈ −85 regardless of the pre-freeze value (Sandison et al. 1998).</summary>
    public double IceShiftHu { get; init; } = -85;

    /// <summary>CT value of the metal probe shafts (HU).</summary>
    public double MetalHu { get; init; } = 3000;

    /// <summary>Peak amplitude (HU) of the metal streak artefacts along each streak line.</summary>
    public double MetalStreakHu { get; init; } = 180;

    /// <summary>Outer diameter of a cryoprobe shaft (mm); 2.4 mm probes as in Littrup 2009 (docs/CLINICAL.md).</summary>
    public double ProbeDiameterMm { get; init; } = 2.4;

    /// <summary>Ice-ball model.</summary>
    public CryoIsothermModel Isotherm { get; init; } = CryoIsothermModel.Default;

    /// <summary>Rician noise σ of the MR images (signal units; the tissue signals are 0–1400).</summary>
    public double MrNoiseSigma { get; init; } = 18;

    /// <summary>Peak deviation of the smooth multiplicative MR bias field from 1 (0.2 gives gains 0.8–1.2).</summary>
    public double MrBiasAmplitude { get; init; } = 0.2;

    /// <summary>Gaussian noise σ of the cone-beam CT in its grey units (≈ 4× the diagnostic CT's noise).</summary>
    public double CbctNoiseSigma { get; init; } = 35;

    /// <summary>Depth of the CBCT cupping artefact at the centre of its field of view (grey units).</summary>
    public double CbctCupping { get; init; } = 120;

    /// <summary>Sub-samples per axis for partial-volume voxels at structure edges (1 = none, 2 = 2×2×2, 3 = 3×3×3).</summary>
    public int SuperSampling { get; init; } = 2;

    /// <summary>Throws <see cref="InvalidPhantomOptionsException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (ProbeCount is < 1 or > 4)
            throw new InvalidPhantomOptionsException($"ProbeCount {ProbeCount} is outside 1–4; choose between 1 and 4 cryoprobes.");
        if (!Enum.IsDefined(Tumour))
            throw new InvalidPhantomOptionsException($"Tumour {(int)Tumour} is not a known tumour scenario (AgainstCanal or Treatable).");
        if (!(ProbePlacementErrorSdMm is >= 0 and <= 10))
            throw new InvalidPhantomOptionsException($"ProbePlacementErrorSdMm {ProbePlacementErrorSdMm} is outside 0–10 mm.");
        if (PlannedProbes is { } planned)
        {
            if (planned.Count is < 1 or > 8)
                throw new InvalidPhantomOptionsException($"PlannedProbes holds {planned.Count} probes; give 1–8.");
            foreach (var p in planned)
                if (p is null || !Finite(p.Entry) || !Finite(p.Tip) || Vec3.Distance(p.Entry, p.Tip) < 1 || !(p.DiameterMm is > 0.5 and <= 5))
                    throw new InvalidPhantomOptionsException("Each of PlannedProbes needs finite entry and tip at least 1 mm apart and a diameter of 0.5–5 mm.");
        }
        if (SuperSampling is < 1 or > 4)
            throw new InvalidPhantomOptionsException($"SuperSampling {SuperSampling} is outside 1–4 sub-samples per axis.");
        if (!Enum.IsDefined(Size))
            throw new InvalidPhantomOptionsException($"Size {(int)Size} is not a known phantom size (Small or Full).");
        ArgumentNullException.ThrowIfNull(Tissues);
        ArgumentNullException.ThrowIfNull(Isotherm);
        RequireNonNegative(DiagnosticCtNoiseHu, nameof(DiagnosticCtNoiseHu));
        RequireNonNegative(IntraOpCtNoiseHu, nameof(IntraOpCtNoiseHu));
        RequireNonNegative(MrNoiseSigma, nameof(MrNoiseSigma));
        RequireNonNegative(CbctNoiseSigma, nameof(CbctNoiseSigma));
        RequireNonNegative(CbctCupping, nameof(CbctCupping));
        RequireNonNegative(MetalStreakHu, nameof(MetalStreakHu));
        if (!(MrBiasAmplitude >= 0 && MrBiasAmplitude < 0.9))
            throw new InvalidPhantomOptionsException($"MrBiasAmplitude {MrBiasAmplitude} must lie in [0, 0.9).");
        if (!double.IsFinite(IceShiftHu) || !double.IsFinite(MetalHu))
            throw new InvalidPhantomOptionsException("IceShiftHu and MetalHu must be finite.");
        if (!(ProbeDiameterMm is > 0.5 and <= 5))
            throw new InvalidPhantomOptionsException($"ProbeDiameterMm {ProbeDiameterMm} is outside 0.5–5 mm.");
        var iso = Isotherm ?? throw new InvalidPhantomOptionsException("Isotherm must not be null.");
        if (iso.Cooling is null) throw new InvalidPhantomOptionsException("Isotherm.Cooling must not be null.");
        var edge = iso.Edge;
        if (!(edge.RadialMm > 1 && edge.AxialMm > 1 && edge.RadialMm <= 40 && edge.AxialMm <= 60))
            throw new InvalidPhantomOptionsException($"Isotherm radii {edge.RadialMm} × {edge.AxialMm} mm must lie in (1, 40] × (1, 60] mm.");
        if (!(iso.LethalIsothermC < 0)) throw new InvalidPhantomOptionsException($"Isotherm.LethalIsothermC {iso.LethalIsothermC} °C must be below 0 °C.");
        _ = iso.Lethal;
        if (!(Math.Abs(edge.CentreBehindTipMm) < edge.AxialMm))
            throw new InvalidPhantomOptionsException($"Isotherm.Edge.CentreBehindTipMm {edge.CentreBehindTipMm} must be smaller in magnitude than the axial radius so the tip is frozen.");
    }

    private static bool Finite(Vec3 v) => double.IsFinite(v.X) && double.IsFinite(v.Y) && double.IsFinite(v.Z);

    private static void RequireNonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new InvalidPhantomOptionsException($"{name} {value} must be finite and ≥ 0.");
    }
}
