using ImageGuide.Imaging;
namespace ImageGuide.Planning;

/// <summary>The result of a skin-entry search for one target.</summary>
public sealed class TrajectoryPlan
{
    internal TrajectoryPlan(Vec3 target, PlanningConstraints constraints, int candidateCount,
        IReadOnlyList<TrajectoryEvaluation> ranked, IReadOnlyList<TrajectoryEvaluation> rejected)
    {
        Target = target;
        Constraints = constraints;
        CandidateCount = candidateCount;
        Ranked = ranked;
        Rejected = rejected;
        var pareto = new List<TrajectoryEvaluation>();
        foreach (var r in ranked) if (r.ParetoOptimal) pareto.Add(r);
        ParetoOptimal = pareto;
    }

    /// <summary>The target (LPS mm).</summary>
    public Vec3 Target { get; }

    /// <summary>The constraints the plan was made under.</summary>
    public PlanningConstraints Constraints { get; }

    /// <summary>Number of skin entries assessed.</summary>
    public int CandidateCount { get; }

    /// <summary>Feasible paths, lowest risk score first.</summary>
    public IReadOnlyList<TrajectoryEvaluation> Ranked { get; }

    /// <summary>The Pareto-optimal feasible paths (depth, cranio-caudal angle, bone length, worst clearance margin), lowest risk first.</summary>
    public IReadOnlyList<TrajectoryEvaluation> ParetoOptimal { get; }

    /// <summary>Rejected paths, each with its reasons in words.</summary>
    public IReadOnlyList<TrajectoryEvaluation> Rejected { get; }

    /// <summary>The lowest-risk feasible path, or null when none is feasible.</summary>
    public TrajectoryEvaluation? Best => Ranked.Count > 0 ? Ranked[0] : null;
}
