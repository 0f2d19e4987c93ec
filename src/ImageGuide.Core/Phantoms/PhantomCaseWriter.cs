using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ImageGuide.Dicom.Writing;
using ImageGuide.Files;
using ImageGuide.IO;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// Writes a generated <see cref="PhantomCase"/> to a folder: one DICOM series per image, NIfTI (.nii.gz) label maps
/// and masks, the label table as JSON, landmarks as CSV (LPS mm), probes as JSON, the rigid transform between every
/// pair of acquisitions as ITK .tfm and JSON (fixed → moving), and a <c>manifest.json</c> describing it all.
/// Every UID is derived from the options (2.25 scheme), so writing the same options again gives byte-identical files.
/// </summary>
public static class PhantomCaseWriter
{
    /// <summary>Name of the manifest file at the root of the case folder.</summary>
    public const string ManifestFileName = "manifest.json";


    /// <summary>
    /// Writes the case into <paramref name="folder"/>, which is created when missing and must otherwise be empty
    /// (so no stale slice of an earlier case can mix into a series).
    /// </summary>
    /// <returns>Path of the written manifest.</returns>
    /// <exception cref="ImageGuideException">The folder holds files, or a file cannot be written.</exception>
    public static string Write(PhantomCase phantom, string folder, IProgress<PhantomProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(folder);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new ImageGuideException($"Phantom output folder '{folder}' is not empty; choose a new or empty folder.");
        try
        {
            // the whole case appears at once, when complete: a killed run leaves nothing half-written under its name
            string? manifest = null;
            AtomicFolder.Write(folder, false, temp => manifest = WriteInto(phantom, temp, progress, cancellationToken));
            return Path.Combine(folder, Path.GetFileName(manifest!));
        }
        catch (IOException e)
        {
            throw new ImageGuideException($"Cannot write the phantom case into '{folder}': {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ImageGuideException($"Cannot write the phantom case into '{folder}': {e.Message}", e);
        }
    }

    private static string WriteInto(PhantomCase phantom, string folder, IProgress<PhantomProgress>? progress, CancellationToken ct)
    {
        var options = phantom.Options;
        string studyUid = SeededUid(options.Seed, "study");
        var acquisitions = new List<PhantomFrame>();
        foreach (var f in phantom.Frames)
            if (!acquisitions.Exists(a => a.Acquisition == f.Acquisition)) acquisitions.Add(f);
        int total = phantom.Frames.Count + acquisitions.Count + 2, done = 0;

        LabelTableJson.Write(SpineLabels.Table, Path.Combine(folder, "labels.json"));
        var frameEntries = new List<(PhantomFrame Frame, string Series)>();
        foreach (var f in phantom.Frames)
        {
            ct.ThrowIfCancellationRequested();
            string series = SeriesPath(f);
            DicomSeriesWriter.Write(f.Image, Path.Combine(folder, series), new DicomSeriesWriterOptions
            {
                Modality = f.Image.Metadata.Modality,
                PatientName = "PHANTOM^SPINE",
                PatientId = $"PHANTOM-{options.Seed.ToString(CultureInfo.InvariantCulture)}",
                StudyInstanceUid = studyUid,
                FrameOfReferenceUid = SeededUid(options.Seed, "frame-of-reference/" + f.Acquisition),
                // seeded per case variant, so the same options rewrite byte-identical files
                SeriesInstanceUid = SeededUid(options.Seed, $"series/{options.Size}/{options.ProbeCount.ToString(CultureInfo.InvariantCulture)}/{Variant(phantom)}{series}"),
                StudyDescription = "ImageGuide synthetic spine phantom",
                SeriesDescription = f.Image.Metadata.SeriesDescription,
                SeriesNumber = f.Image.Metadata.SeriesNumber,
            }, null, ct);
            frameEntries.Add((f, series));
            progress?.Report(new PhantomProgress($"series {f.Name}", ++done, total));
        }

        foreach (var f in acquisitions)
        {
            ct.ThrowIfCancellationRequested();
            string dir = Path.Combine(folder, f.Acquisition);
            NiftiFormat.Write(f.Labels, Path.Combine(dir, "labels.nii.gz"), cancellationToken: ct);
            NiftiFormat.Write(f.TumourMask, Path.Combine(dir, "tumour.nii.gz"), cancellationToken: ct);
            var landmarks = new List<Landmark>(f.Landmarks.Count);
            foreach (var l in f.Landmarks) landmarks.Add(new Landmark(l.Name, l.Position));
            LandmarkFile.WriteCsv(landmarks, Path.Combine(dir, "landmarks.csv"));
            progress?.Report(new PhantomProgress($"ground truth {f.Acquisition}", ++done, total));
        }

        var intra = phantom.IntraOpCt;
        string intraDir = Path.Combine(folder, intra.Acquisition);
        NiftiFormat.Write(phantom.IntraOpTruth.IceBall, Path.Combine(intraDir, "iceball.nii.gz"), cancellationToken: ct);
        NiftiFormat.Write(phantom.IntraOpTruth.LethalZone, Path.Combine(intraDir, "lethal.nii.gz"), cancellationToken: ct);
        NiftiFormat.Write(phantom.IntraOpTruth.MetalArtifact, Path.Combine(intraDir, "metal-artifact.nii.gz"), cancellationToken: ct);
        WriteJson(Path.Combine(intraDir, "probes.json"), w => WriteProbes(w, phantom.IntraOpTruth.Probes, phantom.PlannedProbesIn(intra)));

        var transforms = new List<(string Fixed, string Moving, string Tfm, string Json)>();
        Directory.CreateDirectory(Path.Combine(folder, "transforms"));
        foreach (var a in acquisitions)
            foreach (var b in acquisitions)
            {
                if (ReferenceEquals(a, b)) continue;
                var t = PhantomCase.TransformBetween(a, b);
                string name = $"transforms/{a.Acquisition}-to-{b.Acquisition}";
                ItkTransformFile.Write(t, Path.Combine(folder, name + ".tfm"));
                RigidTransformJson.Write(t, Path.Combine(folder, name + ".json"));
                transforms.Add((a.Acquisition, b.Acquisition, name + ".tfm", name + ".json"));
            }
        progress?.Report(new PhantomProgress("transforms and probes", ++done, total));

        string manifest = Path.Combine(folder, ManifestFileName);
        WriteJson(manifest, w => WriteManifest(w, phantom, studyUid, frameEntries, transforms));
        progress?.Report(new PhantomProgress("manifest", ++done, total));
        return manifest;
    }

    /// <summary>Folder of a frame's DICOM series relative to the case folder, e.g. "mr/t1" or "ct/dicom".</summary>
    public static string SeriesPath(PhantomFrame frame) => $"{frame.Acquisition}/{SeriesFolder(frame)}";

    private static string SeriesFolder(PhantomFrame f) => f.Name switch
    {
        "mr-t1" => "t1",
        "mr-t2" => "t2",
        "ct-prefreeze" => "prefreeze",
        "ct-intraop" => "intraop",
        _ => "dicom",
    };

    /// <summary>A UID of the 2.25 (UUID-derived) scheme from a hash of the seed and a purpose string.</summary>
    private static string SeededUid(ulong seed, string purpose)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"ImageGuide phantom {seed.ToString(CultureInfo.InvariantCulture)} {purpose}"));
        var value = new BigInteger(hash.AsSpan(0, 16), isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }

    private static void WriteJson(string path, Action<Utf8JsonWriter> body)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        JsonOutput.WriteFile(path, body);
    }


    /// <summary>
    /// The part of a series UID's seed that tells case variants of one seed apart: other tumour scenarios and planned
    /// probes give other images, so they must not share a Series Instance UID with the default case.
    /// </summary>
    private static string Variant(PhantomCase phantom)
    {
        var o = phantom.Options;
        var text = new StringBuilder();
        if (o.Tumour != TumourScenario.AgainstCanal) text.Append(CultureInfo.InvariantCulture, $"tumour={o.Tumour}/");
        if (phantom.Procedure.PlannedProbes is { } planned)
        {
            text.Append(CultureInfo.InvariantCulture, $"placement={o.ProbePlacementErrorSdMm:R}");
            foreach (var p in planned)
                text.Append(CultureInfo.InvariantCulture, $";{p.Entry.X:R},{p.Entry.Y:R},{p.Entry.Z:R},{p.Tip.X:R},{p.Tip.Y:R},{p.Tip.Z:R},{p.DiameterMm:R}");
            text.Append('/');
        }
        return text.ToString();
    }

    private static void WriteProbes(Utf8JsonWriter w, IReadOnlyList<CryoProbe> probes, IReadOnlyList<CryoProbe>? planned)
    {
        w.WriteStartObject();
        w.WriteString("coordinates", "LPS mm of the intra-procedural CT");
        w.WriteStartArray("probes");
        for (int n = 0; n < probes.Count; n++)
        {
            var p = probes[n];
            w.WriteStartObject();
            w.WriteVec3("entry", p.Entry);
            w.WriteVec3("tip", p.Tip);
            w.WriteVec3("axis", p.Axis);
            w.WriteNumber("diameterMm", p.DiameterMm);
            // where the plan put this probe (its placement error is tip − plannedTip), when the case placed a plan
            if (planned is not null)
            {
                w.WriteVec3("plannedEntry", planned[n].Entry);
                w.WriteVec3("plannedTip", planned[n].Tip);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteManifest(Utf8JsonWriter w, PhantomCase phantom, string studyUid, List<(PhantomFrame Frame, string Series)> frames,
        List<(string Fixed, string Moving, string Tfm, string Json)> transforms)
    {
        var o = phantom.Options;
        var anatomy = phantom.Anatomy;
        w.WriteStartObject();
        w.WriteString("generator", "ImageGuide.Phantoms");
        w.WriteNumber("seed", o.Seed);
        w.WriteString("size", o.Size.ToString().ToLowerInvariant());
        w.WriteNumber("probeCount", o.ProbeCount);
        w.WriteString("studyInstanceUid", studyUid);
        w.WriteString("labelTable", "labels.json");
        w.WriteString("tumourLevel", anatomy.Levels[anatomy.TumourLevelIndex].Name);
        w.WriteString("tumourSide", anatomy.TumourSide > 0 ? "left" : "right");
        w.WriteString("tumourScenario", o.Tumour == TumourScenario.Treatable ? "treatable" : "against-canal");
        w.WriteBoolean("probesFromPlan", phantom.Procedure.PlannedProbes is not null);
        if (phantom.Procedure.PlannedProbes is not null) w.WriteNumber("probePlacementErrorSdMm", o.ProbePlacementErrorSdMm);
        w.WriteStartObject("settings");
        w.WriteNumber("diagnosticCtNoiseHu", o.DiagnosticCtNoiseHu);
        w.WriteNumber("intraOpCtNoiseHu", o.IntraOpCtNoiseHu);
        w.WriteNumber("iceShiftHu", o.IceShiftHu);
        w.WriteNumber("metalHu", o.MetalHu);
        w.WriteNumber("metalStreakHu", o.MetalStreakHu);
        w.WriteNumber("probeDiameterMm", o.ProbeDiameterMm);
        w.WriteNumber("mrNoiseSigma", o.MrNoiseSigma);
        w.WriteNumber("mrBiasAmplitude", o.MrBiasAmplitude);
        w.WriteNumber("cbctNoiseSigma", o.CbctNoiseSigma);
        w.WriteNumber("cbctCupping", o.CbctCupping);
        w.WriteNumber("superSampling", o.SuperSampling);
        w.WriteStartObject("isotherm");
        w.WriteNumber("radialRadiusMm", o.Isotherm.Edge.RadialMm);
        w.WriteNumber("axialRadiusMm", o.Isotherm.Edge.AxialMm);
        w.WriteNumber("centerBehindTipMm", o.Isotherm.Edge.CentreBehindTipMm);
        w.WriteNumber("lethalIsothermC", o.Isotherm.LethalIsothermC);
        w.WriteNumber("lethalRadialRadiusMm", o.Isotherm.Lethal.RadialMm);
        w.WriteNumber("lethalAxialRadiusMm", o.Isotherm.Lethal.AxialMm);
        w.WriteString("multiProbe", "summed cooling (CryoCooling), the planner's model");
        w.WriteEndObject();
        w.WriteStartObject("tissues");
        foreach (var l in SpineLabels.Table.Labels)
        {
            var t = o.Tissues[l.Value];
            w.WriteStartObject(l.Name);
            w.WriteNumber("ctHu", t.CtHu);
            w.WriteNumber("mrT1", t.MrT1);
            w.WriteNumber("mrT2", t.MrT2);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("frames");
        foreach (var (f, series) in frames)
        {
            var g = f.Geometry;
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteString("acquisition", f.Acquisition);
            w.WriteString("modality", f.Image.Metadata.Modality);
            w.WriteString("units", f.Image.Metadata.Units ?? "arbitrary");
            w.WriteString("description", f.Image.Metadata.SeriesDescription);
            w.WriteString("series", series);
            w.WriteStartArray("size");
            w.WriteNumberValue(g.Nx);
            w.WriteNumberValue(g.Ny);
            w.WriteNumberValue(g.Nz);
            w.WriteEndArray();
            w.WriteVec3("spacing", g.Spacing);
            w.WriteVec3("origin", g.Origin);
            w.WriteString("labels", $"{f.Acquisition}/labels.nii.gz");
            w.WriteString("tumourMask", $"{f.Acquisition}/tumour.nii.gz");
            w.WriteString("landmarks", $"{f.Acquisition}/landmarks.csv");
            w.WriteNumber("landmarkCount", f.Landmarks.Count);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("transforms");
        foreach (var (fixedName, moving, tfm, json) in transforms)
        {
            w.WriteStartObject();
            w.WriteString("fixed", fixedName);
            w.WriteString("moving", moving);
            w.WriteString("convention", "maps fixed patient LPS mm to moving patient LPS mm");
            w.WriteString("tfm", tfm);
            w.WriteString("json", json);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        var intra = phantom.IntraOpCt.Acquisition;
        w.WriteStartObject("intraop");
        w.WriteString("iceBall", $"{intra}/iceball.nii.gz");
        w.WriteString("lethalZone", $"{intra}/lethal.nii.gz");
        w.WriteString("metalArtifact", $"{intra}/metal-artifact.nii.gz");
        w.WriteString("probes", $"{intra}/probes.json");
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
