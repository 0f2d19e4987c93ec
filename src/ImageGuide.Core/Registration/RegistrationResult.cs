using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>Why an optimiser stopped on a level.</summary>
public enum StopReason
{
    /// <summary>The iteration limit was reached.</summary>
    MaximumIterations,
    /// <summary>The step length fell below the minimum (converged).</summary>
    MinimumStepReached,
    /// <summary>The scaled gradient vanished (converged).</summary>
    GradientTooSmall,
    /// <summary>An accepted step changed the metric by less than the function tolerance (converged).</summary>
    FunctionToleranceReached,
    /// <summary>The line search found no decrease along the search direction (converged to the sampling noise).</summary>
    LineSearchFailed,
}

/// <summary>Outcome of one pyramid level.</summary>
/// <param name="Level">Level number, 0 = coarsest.</param>
/// <param name="ShrinkFactor">Shrink factor of the level.</param>
/// <param name="SigmaMm">Smoothing σ of the level, mm.</param>
/// <param name="SampleCount">Fixed samples drawn.</param>
/// <param name="Iterations">Optimiser iterations.</param>
/// <param name="StopReason">Why the optimiser stopped.</param>
/// <param name="FinalMetric">Metric value (−MI) at the end of the level.</param>
public sealed record LevelResult(int Level, int ShrinkFactor, double SigmaMm, int SampleCount, int Iterations, StopReason StopReason, double FinalMetric);

/// <summary>Outcome of a rigid registration.</summary>
/// <param name="Transform">Maps fixed-image points to moving-image points (LPS mm, ITK convention).</param>
/// <param name="InitialTransform">The starting transform, after initialisation and any rotation search.</param>
/// <param name="FinalMetric">Metric value (−MI) at the end of the finest level.</param>
/// <param name="Levels">Per-level iterations, stop reasons and metric values, coarse to fine.</param>
/// <param name="WallTime">Elapsed time, pyramid construction included.</param>
/// <param name="Start">Which start was used and why.</param>
/// <param name="Verdict">How far the result can be trusted (good / doubtful / failed), with reasons and signals.</param>
public sealed record RegistrationResult(RigidTransform Transform, RigidTransform InitialTransform, double FinalMetric,
    IReadOnlyList<LevelResult> Levels, TimeSpan WallTime, RegistrationStart Start, RegistrationVerdict Verdict)
{
    /// <summary>Iterations summed over all levels.</summary>
    public int TotalIterations
    {
        get
        {
            int n = 0;
            foreach (var l in Levels) n += l.Iterations;
            return n;
        }
    }
}

/// <summary>Which start a registration used and why.</summary>
/// <param name="Kind">given, patient-coordinates, frame-relation (a known relation of the two frames, <see cref="RigidRegistration.FrameRelations"/>), geometry-center, moments or global-search.</param>
/// <param name="Reason">Why this start, in words.</param>
/// <param name="GlobalSearch">What the global search did, when it ran.</param>
public sealed record RegistrationStart(string Kind, string Reason, GlobalSearchResult? GlobalSearch = null);

/// <summary>Progress of a running registration, reported once per optimiser iteration.</summary>
/// <param name="Level">Current level, 0 = coarsest.</param>
/// <param name="LevelCount">Number of levels.</param>
/// <param name="Iteration">Iteration within the level.</param>
/// <param name="Metric">Current metric value (−MI).</param>
/// <param name="StepMm">Current step length, mm.</param>
public readonly record struct RegistrationProgress(int Level, int LevelCount, int Iteration, double Metric, double StepMm)
{
    /// <summary>A rough completed fraction in [0, 1] (levels weighted equally).</summary>
    public double Fraction(int maximumIterations) =>
        Math.Clamp((Level + Math.Min(1.0, Iteration / (double)Math.Max(1, maximumIterations))) / Math.Max(1, LevelCount), 0, 1);
}
