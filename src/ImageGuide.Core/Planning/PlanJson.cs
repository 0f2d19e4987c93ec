using System.Text;
using System.Text.Json;
using ImageGuide.IO;

namespace ImageGuide.Planning;

/// <summary>
/// Writes plans as the <c>plan.json</c> of the CLI contract (ARCHITECTURE.md), LPS millimetres:
/// <c>{"trajectories":[{"entry","target","lengthMm","feasible","reasons","clearancesMm":{name:mm},"inPlaneAngleDeg",
/// "craniocaudalAngleDeg",…}],"probes":[…],"coverage","minMarginMm",…}</c>. Trajectories are written in the order given
/// (pass them ranked best first). Extra keys: requiredClearancesMm, riskScore, paretoOptimal, boneLengthMm per trajectory;
/// feasible, infeasibleReason, warnings, iceToCriticalMm, iceToSkinMm, probeCount, probeLayout (parallel | converging), probeModel, lethalIsothermC,
/// tumourMarginMm and fusionUncertaintyMm at the top. <c>coverage</c> is a fraction 0–1; values without a cryo plan and
/// infinite distances are written as null. Every modality (issue 18): <c>"modality": "cryo" | "rfa" | "mwa"</c>;
/// <c>"applicators": [{"model", "entry", "tip", "zone": {"semiAxesMm": [radial, radial, axial], "centreFromTipMm": d}}]</c>
/// (an ellipsoid about the shaft whose centre lies d mm from the tip toward the entry: the ablation zone of an RF or MW
/// applicator, the 0 °C ice ball of a cryoprobe); <c>"thermalProtection": [{"structure", "expectedTemperatureC",
/// "limitC", "thermocouple": [x, y, z] | null, "separationMm", "shortfallC", "edgeDistanceMm", "requiredClearanceMm"}]</c>
/// (separationMm null when no displacement up to 50 mm suffices); <c>"heatSinks": [{"structure", "distanceMm"}]</c>;
/// and <c>"cementAccess": [{"approach": "unipedicular" | "bipedicular", "feasible", "reason", "trajectories": [{"side",
/// "target", "boneEntry", "entry", "lengthMm", "feasible", "reasons", "clearancesMm", "craniocaudalAngleDeg",
/// "boneLengthMm", "riskScore"}]}]</c> (empty unless cement access was planned, <see cref="CementAccessPlanner"/>).
/// </summary>
public static class PlanJson
{
    /// <summary>Default number of ranked trajectories written by <see cref="Serialize(TrajectoryPlan, CryoPlan?, int, IReadOnlyList{string}?, IReadOnlyList{CementAccessPlan}?)"/>.</summary>
    public const int DefaultTrajectoryCount = 20;

    /// <summary>The plan JSON for the best <paramref name="maxTrajectories"/> ranked trajectories of a search and an optional cryo plan.</summary>
    public static string Serialize(TrajectoryPlan plan, CryoPlan? cryo = null, int maxTrajectories = DefaultTrajectoryCount, IReadOnlyList<string>? warnings = null,
        IReadOnlyList<CementAccessPlan>? cement = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var list = new List<TrajectoryEvaluation>();
        for (int n = 0; n < plan.Ranked.Count && n < maxTrajectories; n++) list.Add(plan.Ranked[n]);
        return Serialize(list, cryo, plan.Constraints, warnings, cement);
    }

    /// <summary>The plan JSON for the given trajectories (in this order) and an optional cryo plan.</summary>
    public static string Serialize(IReadOnlyList<TrajectoryEvaluation> trajectories, CryoPlan? cryo, PlanningConstraints constraints,
        IReadOnlyList<string>? warnings = null, IReadOnlyList<CementAccessPlan>? cement = null)
    {
        using var stream = new MemoryStream();
        Write(stream, trajectories, cryo, constraints, warnings, cement);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Writes the plan JSON (UTF-8, indented) to <paramref name="stream"/>; one <c>"warnings"</c> array holds the ablation
    /// plan's warnings followed by <paramref name="warnings"/> (what makes the plan doubtful, in words), each once.
    /// </summary>
    public static void Write(Stream stream, IReadOnlyList<TrajectoryEvaluation> trajectories, CryoPlan? cryo, PlanningConstraints constraints,
        IReadOnlyList<string>? warnings = null, IReadOnlyList<CementAccessPlan>? cement = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(trajectories);
        ArgumentNullException.ThrowIfNull(constraints);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteStartArray("trajectories");
        foreach (var t in trajectories) WriteTrajectory(w, t);
        w.WriteEndArray();

        w.WriteStartArray("probes");
        if (cryo is not null)
            foreach (var p in cryo.Probes)
            {
                w.WriteStartObject();
                w.WriteString("model", cryo.Model.Name);
                w.WriteRoundedVec3("tip", p.Tip);
                w.WriteRoundedVec3("axis", p.Axis);
                w.WriteRoundedVec3("entry", p.Entry);
                w.WriteRoundedOrNull("lengthMm", p.Path.LengthMm);
                w.WriteBoolean("feasible", p.Path.Feasible);
                WriteStrings(w, "reasons", p.Path.Reasons);
                w.WriteEndObject();
            }
        w.WriteEndArray();
        w.WriteString("modality", (cryo?.Modality ?? ModalityOf(constraints)).Name());
        w.WriteStartArray("applicators");
        if (cryo is not null)
            foreach (var p in cryo.Probes)
            {
                w.WriteStartObject();
                w.WriteString("model", cryo.Model.Name);
                w.WriteRoundedVec3("entry", p.Entry);
                w.WriteRoundedVec3("tip", p.Tip);
                w.WriteStartObject("zone");
                w.WriteStartArray("semiAxesMm");
                w.WriteNumberValue(Math.Round(cryo.Model.Zone.RadialMm, 2));
                w.WriteNumberValue(Math.Round(cryo.Model.Zone.RadialMm, 2));
                w.WriteNumberValue(Math.Round(cryo.Model.Zone.AxialMm, 2));
                w.WriteEndArray();
                w.WriteRoundedOrNull("centreFromTipMm", cryo.Model.Zone.CentreBehindTipMm);
                w.WriteRoundedOrNull("edgeTemperatureC", cryo.Model.ZoneTemperatureC);
                w.WriteEndObject();
                w.WriteEndObject();
            }
        w.WriteEndArray();
        w.WriteStartArray("thermalProtection");
        if (cryo is not null)
            foreach (var t in cryo.ThermalProtection)
            {
                w.WriteStartObject();
                w.WriteString("structure", t.Structure);
                w.WriteRoundedOrNull("expectedTemperatureC", t.ExpectedTemperatureC);
                w.WriteRoundedOrNull("limitC", t.LimitC);
                if (t.Thermocouple is { } tc) w.WriteRoundedVec3("thermocouple", tc); else w.WriteNull("thermocouple");
                w.WriteRoundedOrNull("separationMm", t.SeparationMm);
                w.WriteRoundedOrNull("shortfallC", t.ShortfallC);
                w.WriteRoundedOrNull("edgeDistanceMm", t.EdgeDistanceMm);
                w.WriteRoundedOrNull("requiredClearanceMm", t.RequiredClearanceMm);
                if (t.ThermocouplePath is { } path) w.WriteRoundedVec3("thermocoupleEntry", path.Entry); else w.WriteNull("thermocoupleEntry");
                w.WriteEndObject();
            }
        w.WriteEndArray();
        w.WriteStartArray("dissection");
        if (cryo is not null)
            foreach (var d in cryo.Dissection)
            {
                w.WriteStartObject();
                w.WriteString("structure", d.Structure);
                w.WriteRoundedOrNull("separationMm", d.SeparationMm);
                w.WriteEndObject();
            }
        w.WriteEndArray();
        if (cryo is not null)
        {
            w.WriteBoolean("feasibleWithoutDissection", cryo.FeasibleWithoutDissection);
            if (cryo.ReasonWithoutDissection is { } why) w.WriteString("reasonWithoutDissection", why);
        }
        w.WriteStartArray("cementAccess");
        foreach (var c in cement ?? [])
        {
            w.WriteStartObject();
            w.WriteString("approach", c.Approach);
            w.WriteBoolean("feasible", c.Feasible);
            if (c.Reason is null) w.WriteNull("reason"); else w.WriteString("reason", c.Reason);
            w.WriteStartArray("trajectories");
            foreach (var t in c.Trajectories)
            {
                w.WriteStartObject();
                w.WriteString("side", t.Side);
                w.WriteRoundedVec3("target", t.Target);
                if (t.BoneEntry is { } b) w.WriteRoundedVec3("boneEntry", b); else w.WriteNull("boneEntry");
                if (t.Path is { } path)
                {
                    w.WriteRoundedVec3("entry", path.Entry);
                    w.WriteRoundedOrNull("lengthMm", path.LengthMm);
                    w.WriteBoolean("feasible", path.Feasible);
                    WriteStrings(w, "reasons", path.Reasons);
                    WriteMap(w, "clearancesMm", path.ClearancesMm);
                    w.WriteRoundedOrNull("craniocaudalAngleDeg", path.CraniocaudalAngleDeg);
                    w.WriteRoundedOrNull("boneLengthMm", path.BoneLengthMm);
                    w.WriteRoundedOrNull("riskScore", path.RiskScore);
                }
                else
                {
                    w.WriteNull("entry");
                    w.WriteBoolean("feasible", false);
                    w.WriteString("why", t.Why);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("heatSinks");
        if (cryo is not null)
            foreach (var h in cryo.HeatSinks)
            {
                w.WriteStartObject();
                w.WriteString("structure", h.Structure);
                w.WriteRoundedOrNull("distanceMm", h.DistanceMm);
                w.WriteEndObject();
            }
        w.WriteEndArray();
        w.WriteRoundedOrNull("coverage", cryo?.LethalCoverage);
        w.WriteRoundedOrNull("minMarginMm", cryo?.MinMarginMm);
        if (cryo is not null)
        {
            w.WriteBoolean("feasible", cryo.Feasible);
            if (cryo.InfeasibleReason is null) w.WriteNull("infeasibleReason"); else w.WriteString("infeasibleReason", cryo.InfeasibleReason);
            w.WriteNumber("probeCount", cryo.Probes.Count);
            w.WriteString("probeLayout", cryo.Layout == ProbeLayout.Converging ? "converging" : "parallel");
            WriteMap(w, "iceToCriticalMm", cryo.IceToCriticalMm);
            w.WriteRoundedOrNull("iceToSkinMm", cryo.IceToSkinMm);
            w.WriteStartObject("probeModel");
            w.WriteString("name", cryo.Model.Name);
            w.WriteBoolean("approximate", cryo.Model.Approximate);
            w.WriteString("source", cryo.Model.Source);
            w.WriteEndObject();
        }
        w.WriteRoundedOrNull("lethalIsothermC", constraints.Goals.LethalIsothermC);
        w.WriteRoundedOrNull("tumourMarginMm", constraints.Goals.TumourMarginMm);
        w.WriteRoundedOrNull("fusionUncertaintyMm", constraints.Goals.FusionUncertaintyMm);
        if (constraints.Goals.FusionUncertaintySource is { } source) w.WriteString("fusionUncertaintySource", source);
        // One "warnings" key: the ablation plan's own warnings, then the caller's (a repeated key is invalid for strict
        // readers, and lenient ones keep only one of the two arrays).
        var written = new HashSet<string>(StringComparer.Ordinal);
        w.WriteStartArray("warnings");
        foreach (var warning in cryo?.Warnings ?? [])
            if (written.Add(warning)) w.WriteStringValue(warning);
        foreach (var warning in warnings ?? [])
            if (written.Add(warning)) w.WriteStringValue(warning);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static AblationModality ModalityOf(PlanningConstraints c) =>
        ProbeCatalogue.BuiltIn.TryGet(c.ProbeModel, out var m) ? m.Modality : AblationModality.Cryo;

    private static void WriteTrajectory(Utf8JsonWriter w, TrajectoryEvaluation t)
    {
        w.WriteStartObject();
        w.WriteRoundedVec3("entry", t.Entry);
        w.WriteRoundedVec3("target", t.Target);
        w.WriteRoundedOrNull("lengthMm", t.LengthMm);
        w.WriteBoolean("feasible", t.Feasible);
        WriteStrings(w, "reasons", t.Reasons);
        WriteMap(w, "clearancesMm", t.ClearancesMm);
        WriteMap(w, "requiredClearancesMm", t.RequiredClearancesMm);
        w.WriteRoundedOrNull("inPlaneAngleDeg", t.InPlaneAngleDeg);
        w.WriteRoundedOrNull("craniocaudalAngleDeg", t.CraniocaudalAngleDeg);
        w.WriteRoundedOrNull("boneLengthMm", t.BoneLengthMm);
        w.WriteRoundedOrNull("riskScore", t.RiskScore);
        w.WriteBoolean("paretoOptimal", t.ParetoOptimal);
        w.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, double> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map) w.WriteRoundedOrNull(k, v);
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> items)
    {
        w.WriteStartArray(name);
        foreach (var s in items) w.WriteStringValue(s);
        w.WriteEndArray();
    }
}
