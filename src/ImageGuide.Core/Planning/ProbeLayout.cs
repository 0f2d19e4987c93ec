namespace ImageGuide.Planning;

/// <summary>How the multi-probe planner arranges several cryoprobes.</summary>
public enum ProbeLayout
{
    /// <summary>Parallel probes on a ring about one needle direction (the usual arrangement, 004).</summary>
    Parallel,

    /// <summary>
    /// Converging probes: every shaft passes through one apex on a needle line behind the tumour, so probes from nearby
    /// skin entries (or through one narrow window) fan out to tips spread over the tumour.
    /// </summary>
    Converging,

    /// <summary>Both; the layout with the higher lethal coverage wins, parallel on a tie.</summary>
    Auto,
}
