namespace ImageGuide.Phantoms;

/// <summary>Where the phantom's tumour lies, and so which clinical story a case tells.</summary>
public enum TumourScenario
{
    /// <summary>
    /// A lytic lesion in a vertebral body with an extra-osseous component reaching toward the exiting nerve root, kept only
    /// 2.5 mm from the spinal canal: too close to the CSF for a cryoablation with clearances as the anatomy lies, the case
    /// for thermal protection (hydro/CO2-dissection, thermocouples). The phantom's original tumour; the default.
    /// </summary>
    AgainstCanal,

    /// <summary>
    /// A small lytic lesion (≈ 8–13 mm across) at the lateral wall of a vertebral body, placed where it lies farthest from the
    /// canal, the nerve roots and the great vessels (at least <see cref="TumourBuilder.TreatableClearanceMm"/> when the body
    /// allows, shrinking to 4 mm radius otherwise): a posterolateral cryoablation with margin and clearances is feasible
    /// without protection (seeds 1–3 checked with <c>imageguide plan</c>: 2 probes, 100 % coverage, margin 6.4–6.7 mm).
    /// </summary>
    Treatable,
}
