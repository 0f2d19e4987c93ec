namespace ImageGuide.Phantoms;

/// <summary>
/// Imaging values per label. The defaults follow docs/CLINICAL.md: fat −100 HU,
/// muscle 50 HU (40–60), CSF 8 HU (0–15), cancellous bone 250 HU (200–300), cortical bone 1000 HU (800–1200),
/// blood 40 HU; the remaining tissues take typical literature values (skin 40, generic soft tissue 35,
/// disc 80, cord and nerve root 35, tumour 45 HU). MR values are relative signal levels of spin-echo T1 and
/// T2 contrast (fat bright on both, CSF dark on T1 and bright on T2, flow voids in the great vessels, tumour
/// hypointense on T1 and hyperintense on T2). Immutable.
/// </summary>
public sealed class TissueTable
{
    private readonly TissueProperties[] _values;

    private TissueTable(TissueProperties[] values) => _values = values;

    /// <summary>The documented default values.</summary>
    public static TissueTable Default { get; } = CreateDefault();

    private static TissueTable CreateDefault()
    {
        var v = new TissueProperties[256];
        v[SpineLabels.Background] = new(-1000, 0, 0);
        v[SpineLabels.Skin] = new(40, 500, 350);
        v[SpineLabels.Fat] = new(-100, 1000, 750);
        v[SpineLabels.SoftTissue] = new(35, 450, 380);
        v[SpineLabels.ParaspinalMuscle] = new(50, 400, 250);
        v[SpineLabels.Psoas] = new(50, 400, 250);
        v[SpineLabels.CorticalBone] = new(1000, 40, 30);
        v[SpineLabels.CancellousBone] = new(250, 700, 500);
        v[SpineLabels.Disc] = new(80, 350, 900);
        v[SpineLabels.Csf] = new(8, 200, 1400);
        v[SpineLabels.Cord] = new(35, 520, 550);
        v[SpineLabels.NerveRoot] = new(35, 480, 600);
        v[SpineLabels.Aorta] = new(40, 60, 50);
        v[SpineLabels.Ivc] = new(40, 110, 90);
        v[SpineLabels.Tumour] = new(45, 300, 950);
        return new TissueTable(v);
    }

    /// <summary>Values of label <paramref name="label"/>.</summary>
    public TissueProperties this[byte label] => _values[label];

    /// <summary>A copy with the values of one label replaced.</summary>
    public TissueTable With(byte label, TissueProperties values)
    {
        if (!double.IsFinite(values.CtHu) || !double.IsFinite(values.MrT1) || !double.IsFinite(values.MrT2) || values.MrT1 < 0 || values.MrT2 < 0)
            throw new InvalidPhantomOptionsException($"Tissue values {values} for label {label} must be finite and MR signals ≥ 0.");
        var copy = (TissueProperties[])_values.Clone();
        copy[label] = values;
        return new TissueTable(copy);
    }

    internal float[] Lookup(Func<TissueProperties, double> select)
    {
        var t = new float[256];
        for (int n = 0; n < 256; n++) t[n] = (float)select(_values[n]);
        return t;
    }
}
