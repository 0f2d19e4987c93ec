using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// Generates a synthetic spine case in memory: anatomy, probe placement, and the diagnostic CT, MR T1/T2, CBCT,
/// pre-freeze and intra-procedural CT renderings with their ground truth. Deterministic for given options: the
/// same seed gives identical voxel buffers whatever the thread count. Writing files is a separate step.
/// </summary>
public static class PhantomGenerator
{
    private const int Steps = 6;

    /// <summary>Generates the case described by <paramref name="options"/>.</summary>
    /// <exception cref="InvalidPhantomOptionsException">A setting is out of range.</exception>
    /// <exception cref="OperationCanceledException">Cancelled through <paramref name="cancellationToken"/>.</exception>
    public static PhantomCase Generate(PhantomOptions options, IProgress<PhantomProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var anatomy = SpineAnatomy.Build(options);

        var tumourLevel = anatomy.Levels[anatomy.TumourLevelIndex].BodyCenter;
        var poses = PhantomRandom.ForStream(options.Seed, PhantomStreams.Poses);
        var ctAnchor = new Vec3(0, 0, 0);
        var mrAnchor = new Vec3(0, 0, tumourLevel.Z);
        var cbctAnchor = new Vec3(0, tumourLevel.Y, tumourLevel.Z);
        var intraAnchor = new Vec3(0, 0, tumourLevel.Z);
        var ctPose = AcquisitionPose.Draw(poses, ctAnchor);
        var mrPose = AcquisitionPose.Draw(poses, mrAnchor);
        var cbctPose = AcquisitionPose.Draw(poses, cbctAnchor);
        var intraPose = AcquisitionPose.Draw(poses, intraAnchor);
        // the poses come from their own stream, so the CT's is known before the probes: a plan made on the CT is placed
        var procedure = options.PlannedProbes is { } planned
            ? PlacePlanned(planned, ctPose.Inverse(), options)
            : ProbePathPlanner.Plan(anatomy, options);
        progress?.Report(new PhantomProgress("anatomy and probe paths", 1, Steps));
        var tissues = options.Tissues;
        var hu = tissues.Lookup(t => t.CtHu);
        int ss = options.SuperSampling;
        ulong seed = options.Seed;

        // Diagnostic CT.
        var ctGrid = FrameLayout.Ct(options.Size).GridAround(ctPose.TransformPoint(ctAnchor));
        var ctLabels = new byte[ctGrid.VoxelCount];
        var ctImage = new short[ctGrid.VoxelCount];
        VoxelRasterizer.Render(new RasterScene(anatomy, [hu]), ctGrid, ctPose.Inverse(), ss, ctLabels,
            new CtSliceFinisher(ctImage, ctGrid.Nx * ctGrid.Ny, options.DiagnosticCtNoiseHu, seed), cancellationToken);
        var ctLabelVolume = new Volume<byte>(ctGrid, ctLabels);
        var ct = new PhantomFrame("ct", "ct", new Volume<short>(ctGrid, ctImage, CtMetadata("Phantom diagnostic CT", 1)),
            ctLabelVolume, ctPose, LandmarksIn(anatomy, ctPose, ctGrid));
        progress?.Report(new PhantomProgress("diagnostic CT", 2, Steps));

        // MR T1 and T2 in one pass.
        var mrGrid = FrameLayout.Mr(options.Size).GridAround(mrPose.TransformPoint(mrAnchor));
        var mrLabels = new byte[mrGrid.VoxelCount];
        var t1 = new short[mrGrid.VoxelCount];
        var t2 = new short[mrGrid.VoxelCount];
        VoxelRasterizer.Render(new RasterScene(anatomy, [tissues.Lookup(t => t.MrT1), tissues.Lookup(t => t.MrT2)]), mrGrid, mrPose.Inverse(), ss, mrLabels,
            new MrSliceFinisher(t1, t2, mrGrid, options.MrNoiseSigma, options.MrBiasAmplitude, seed), cancellationToken);
        var mrLabelVolume = new Volume<byte>(mrGrid, mrLabels);
        var mrLandmarks = LandmarksIn(anatomy, mrPose, mrGrid);
        var mrT1 = new PhantomFrame("mr-t1", "mr", new Volume<short>(mrGrid, t1, MrMetadata("Phantom MR T1", 2)), mrLabelVolume, mrPose, mrLandmarks);
        var mrT2 = new PhantomFrame("mr-t2", "mr", new Volume<short>(mrGrid, t2, MrMetadata("Phantom MR T2", 3)), mrLabelVolume, mrPose, mrLandmarks);
        progress?.Report(new PhantomProgress("MR T1 and T2", 3, Steps));

        // Cone-beam CT.
        var cbctGrid = FrameLayout.Cbct(options.Size).GridAround(cbctPose.TransformPoint(cbctAnchor));
        var cbctLabels = new byte[cbctGrid.VoxelCount];
        var cbctImage = new short[cbctGrid.VoxelCount];
        VoxelRasterizer.Render(new RasterScene(anatomy, [hu]), cbctGrid, cbctPose.Inverse(), ss, cbctLabels,
            new CbctSliceFinisher(cbctImage, cbctGrid, FrameLayout.CbctFovRadiusMm, options.CbctNoiseSigma, options.CbctCupping,
                cbctPose.TransformPoint(cbctAnchor), cbctPose.TransformVector(new Vec3(0, 0, 1)), seed), cancellationToken);
        var cbct = new PhantomFrame("cbct", "cbct", new Volume<short>(cbctGrid, cbctImage, new ImageMetadata
        {
            Modality = "CT", SeriesDescription = "Phantom cone-beam CT (arbitrary units)", SeriesNumber = 4, WindowCenter = 900, WindowWidth = 1200,
        }), new Volume<byte>(cbctGrid, cbctLabels), cbctPose, LandmarksIn(anatomy, cbctPose, cbctGrid));
        progress?.Report(new PhantomProgress("cone-beam CT", 4, Steps));

        // Pre-freeze and intra-procedural CT in one pass (probes in both, ice in the second).
        var intraGrid = FrameLayout.IntraOp(options.Size).GridAround(intraPose.TransformPoint(intraAnchor));
        long count = intraGrid.VoxelCount;
        var outputs = new IntraOpOutputs(new short[count], new short[count], new byte[count], new byte[count], new byte[count]);
        var intraLabels = new byte[count];
        var iceDelta = new float[256];
        for (int l = 0; l < 256; l++) iceDelta[l] = SpineLabels.IsFreezableSoftTissue((byte)l) ? (float)options.IceShiftHu : 0f;
        var metal = (float)options.MetalHu;
        var shafts = new List<Capsule>();
        foreach (var s in procedure.Shafts) shafts.Add(new Capsule(intraPose.TransformPoint(s.A), intraPose.TransformPoint(s.B), s.Radius));
        VoxelRasterizer.Render(new RasterScene(anatomy, [hu, hu], procedure, [new float[256], iceDelta], [metal, metal]),
            intraGrid, intraPose.Inverse(), ss, intraLabels,
            new IntraOpSliceFinisher(outputs, intraGrid, shafts, options.IntraOpCtNoiseHu, options.MetalStreakHu, seed), cancellationToken);
        var intraLabelVolume = new Volume<byte>(intraGrid, intraLabels);
        var intraLandmarks = LandmarksIn(anatomy, intraPose, intraGrid);
        var pre = new PhantomFrame("ct-prefreeze", "intraop", new Volume<short>(intraGrid, outputs.PreFreeze, CtMetadata("Phantom pre-freeze CT (probes in place)", 5)),
            intraLabelVolume, intraPose, intraLandmarks);
        var intra = new PhantomFrame("ct-intraop", "intraop", new Volume<short>(intraGrid, outputs.IntraOp, CtMetadata("Phantom intra-procedural CT (ice ball)", 6)),
            intraLabelVolume, intraPose, intraLandmarks);
        var probesInFrame = new CryoProbe[procedure.Probes.Count];
        for (int n = 0; n < probesInFrame.Length; n++) probesInFrame[n] = procedure.Probes[n].Transformed(intraPose);
        var truth = new IntraOpGroundTruth(probesInFrame, new Volume<byte>(intraGrid, outputs.IceBall),
            new Volume<byte>(intraGrid, outputs.LethalZone), new Volume<byte>(intraGrid, outputs.MetalArtifact));
        progress?.Report(new PhantomProgress("pre-freeze and intra-procedural CT", 5, Steps));

        var result = new PhantomCase(options, anatomy, procedure, ct, mrT1, mrT2, cbct, pre, intra, truth);
        progress?.Report(new PhantomProgress("done", Steps, Steps));
        return result;
    }

    /// <summary>
    /// The planned probes (diagnostic CT frame) in the anatomy frame, each tip and entry moved by an independent Gaussian
    /// error of <see cref="PhantomOptions.ProbePlacementErrorSdMm"/> per coordinate (seeded, its own stream).
    /// </summary>
    private static CryoProcedure PlacePlanned(IReadOnlyList<CryoProbe> planned, RigidTransform ctToAnatomy, PhantomOptions options)
    {
        var rng = PhantomRandom.ForStream(options.Seed, PhantomStreams.Placement);
        double sd = options.ProbePlacementErrorSdMm;
        var inAnatomy = new List<CryoProbe>(planned.Count);
        var placed = new List<CryoProbe>(planned.Count);
        foreach (var p in planned)
        {
            var q = p.Transformed(ctToAnatomy);
            inAnatomy.Add(q);
            var tip = q.Tip + new Vec3(rng.NextGaussian(), rng.NextGaussian(), rng.NextGaussian()) * sd;
            var entry = q.Entry + new Vec3(rng.NextGaussian(), rng.NextGaussian(), rng.NextGaussian()) * sd;
            placed.Add(new CryoProbe(entry, tip, q.DiameterMm));
        }
        return new CryoProcedure(placed, options.Isotherm) { PlannedProbes = inAnatomy };
    }

    private static ImageMetadata CtMetadata(string description, int series) => new()
    {
        Modality = "CT", Units = "HU", SeriesDescription = description, SeriesNumber = series, WindowCenter = 40, WindowWidth = 400,
    };

    private static ImageMetadata MrMetadata(string description, int series) => new()
    {
        Modality = "MR", SeriesDescription = description, SeriesNumber = series, WindowCenter = 600, WindowWidth = 1200,
    };

    /// <summary>The anatomy's landmarks mapped into a frame, keeping those inside its grid.</summary>
    private static List<AnatomicalLandmark> LandmarksIn(SpineAnatomy anatomy, RigidTransform anatomyToPatient, VolumeGeometry grid)
    {
        var result = new List<AnatomicalLandmark>();
        foreach (var l in anatomy.Landmarks)
        {
            var p = anatomyToPatient.TransformPoint(l.Position);
            var idx = grid.PhysicalToIndex(p);
            if (idx.X >= 0 && idx.Y >= 0 && idx.Z >= 0 && idx.X <= grid.Nx - 1 && idx.Y <= grid.Ny - 1 && idx.Z <= grid.Nz - 1)
                result.Add(l with { Position = p });
        }
        return result;
    }
}
