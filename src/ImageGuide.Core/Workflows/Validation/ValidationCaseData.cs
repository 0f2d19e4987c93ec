using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Registration;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// A case loaded for registration and evaluation: the images, optional masks, and the TRE reference as point pairs
/// (fixed-space points and where the truth puts them in the moving space).
/// </summary>
/// <param name="Case">The manifest entry.</param>
/// <param name="Fixed">Fixed image (float, LPS mm).</param>
/// <param name="Moving">Moving image.</param>
/// <param name="FixedMask">Fixed sampling mask, or null.</param>
/// <param name="MovingMask">Moving sampling mask, or null.</param>
/// <param name="FixedPoints">Evaluation points in the fixed space (landmarks, or random foreground points).</param>
/// <param name="TrueMovingPoints">Their true positions in the moving space; TRE = ‖T(fᵢ) − mᵢ‖.</param>
/// <param name="Vertebrae">A per-vertebra case's vertebra labels on the fixed grid, their levels and where they came from; else null.</param>
public sealed record ValidationCaseData(ValidationCase Case, Volume<float> Fixed, Volume<float> Moving, Volume<byte>? FixedMask,
    Volume<byte>? MovingMask, IReadOnlyList<Vec3> FixedPoints, IReadOnlyList<Vec3> TrueMovingPoints, CaseVertebrae? Vertebrae = null)
{
    /// <summary>A landmark on a vertebra's surface counts for that vertebra when its label lies within this distance, mm.</summary>
    public const double LevelSearchRadiusMm = VertebraLabelSet.SurfaceToleranceMm;

    /// <summary>Per-point errors ‖T(fᵢ) − mᵢ‖ (mm) of <paramref name="fixedToMoving"/> (a rigid transform or a displacement field).</summary>
    public double[] Errors(ISpatialTransform fixedToMoving)
    {
        ArgumentNullException.ThrowIfNull(fixedToMoving);
        var e = new double[FixedPoints.Count];
        for (int i = 0; i < e.Length; i++) e[i] = Vec3.Distance(fixedToMoving.TransformPoint(FixedPoints[i]), TrueMovingPoints[i]);
        return e;
    }

    /// <summary>Loads <paramref name="c"/>: reads or generates the images, masks and the TRE reference.</summary>
    /// <param name="c">The case.</param>
    /// <param name="pointCount">Random foreground points for transform references.</param>
    /// <param name="seed">Seed of those points (the case index is added).</param>
    /// <param name="cancellationToken">Cancels reading or generation.</param>
    /// <exception cref="ImageGuideException">Unreadable images, masks, landmarks or transform.</exception>
    public static ValidationCaseData Load(ValidationCase c, int pointCount, int seed, CancellationToken cancellationToken = default) =>
        Load(c, pointCount, seed, options => PhantomGenerator.Generate(options, null, cancellationToken), cancellationToken);

    /// <summary>As <see cref="Load(ValidationCase, int, int, CancellationToken)"/>, taking phantom cases from <paramref name="phantoms"/>.</summary>
    internal static ValidationCaseData Load(ValidationCase c, int pointCount, int seed, Func<PhantomOptions, PhantomCase> phantoms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(c);
        int pointSeed = unchecked(seed + c.Index);
        switch (c.Images)
        {
            case PhantomCaseImages p:
            {
                var phantom = phantoms(p.Options);
                var fixedFrame = PhantomCaseImages.Frame(phantom, p.FixedFrame) ?? throw UnknownFrame(c, p.FixedFrame);
                var movingFrame = PhantomCaseImages.Frame(phantom, p.MovingFrame) ?? throw UnknownFrame(c, p.MovingFrame);
                var fixedImage = fixedFrame.Image.Convert(v => (float)v);
                var movingImage = movingFrame.Image.Convert(v => (float)v);
                var body = fixedFrame.Labels.Convert(v => v != 0 ? (byte)1 : (byte)0);
                var points = MaskSampling.RandomPoints(body, pointCount, pointSeed);
                var truth = PhantomCase.TransformBetween(fixedFrame, movingFrame);
                return new ValidationCaseData(c, fixedImage, movingImage, p.FixedFieldOfViewMask ? FieldOfViewMask.FromFillValue(fixedImage) : null, null,
                    points, Array.ConvertAll(points, truth.TransformPoint));
            }
            case FileCaseImages f:
            {
                var fixedImage = VolumeReader.Read(f.Fixed, cancellationToken: cancellationToken).Volume;
                var movingImage = VolumeReader.Read(f.Moving, cancellationToken: cancellationToken).Volume;
                var fixedMask = f.FixedMask is { } fm ? VolumeReader.Read<byte>(fm, cancellationToken: cancellationToken)
                    : f.FixedFieldOfViewMask ? FieldOfViewMask.FromFillValue(fixedImage) : null;
                var movingMask = f.MovingMask is { } mm ? VolumeReader.Read<byte>(mm, cancellationToken: cancellationToken) : null;
                IReadOnlyList<Vec3> fixedPoints, movingPoints;
                switch (c.Reference)
                {
                    case LandmarkReference l:
                        var pairs = LandmarkPairs.Match(LandmarkFile.Read(l.FixedLandmarks), LandmarkFile.Read(l.MovingLandmarks));
                        if (pairs.Fixed.Count == 0)
                            throw new ValidationException($"case '{c.Id}': the landmark files {l.FixedLandmarks} and {l.MovingLandmarks} have no corresponding points.");
                        (fixedPoints, movingPoints) = (pairs.Fixed, pairs.Moving);
                        break;
                    case TransformReference t:
                        var truth = TransformIO.Read(t.TransformPath);
                        var foreground = fixedMask ?? AboveMean(fixedImage);
                        var pts = MaskSampling.RandomPoints(foreground, pointCount, pointSeed);
                        (fixedPoints, movingPoints) = (pts, Array.ConvertAll(pts, truth.TransformPoint));
                        break;
                    default:
                        throw new ValidationException($"case '{c.Id}': a file case needs landmarks or a ground-truth transform.");
                }
                var vertebrae = c.PerVertebra switch
                {
                    null => null,
                    { FixedLabels: { } labelsPath } pv => CaseVertebrae.Read(labelsPath, pv.LabelTable, pv.Scheme, fixedImage.Geometry, fixedPoints, cancellationToken),
                    var pv => CaseVertebrae.Find(fixedImage, pv.Anchor, fixedPoints, cancellationToken),
                };
                return new ValidationCaseData(c, fixedImage, movingImage, fixedMask, movingMask, fixedPoints, movingPoints, vertebrae);
            }
            default:
                throw new ValidationException($"case '{c.Id}': unknown image source {c.Images.GetType().Name}.");
        }
    }

    private static ValidationException UnknownFrame(ValidationCase c, string name) =>
        new($"case '{c.Id}': '{name}' is not a phantom frame; use one of {string.Join(", ", PhantomCaseImages.FrameNames)}.");

    /// <summary>Voxels above the image's mean: the foreground of a CT/MR/CBCT volume without a mask.</summary>
    private static Volume<byte> AboveMean(Volume<float> image)
    {
        double sum = 0;
        foreach (var v in image.Data) sum += v;
        float mean = (float)(sum / image.Data.Length);
        return image.Convert(v => v > mean ? (byte)1 : (byte)0);
    }
}
