namespace ImageGuide.Model;

/// <summary>
/// How far an applicator's effect reaches from its zone centre: the largest reach over rays sampled every 0.5° from along
/// the shaft to across it, with a 1 % + 0.5 mm margin for the directions between the samples.
/// </summary>
internal static class RayReach
{
    /// <summary>
    /// The largest <paramref name="reachAlong"/>(cr, ca) over the rays, cr and ca the sine and cosine of the ray's angle from
    /// the shaft, times 1.01 plus 0.5 mm.
    /// </summary>
    public static double Max(Func<double, double, double> reachAlong)
    {
        double best = 0;
        for (int a = 0; a <= 180; a++)
        {
            double angle = a * Math.PI / 360;
            best = Math.Max(best, reachAlong(Math.Sin(angle), Math.Cos(angle)));
        }
        return best * 1.01 + 0.5;
    }
}
