using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>Value and gradient (with respect to <see cref="RigidParameters"/>) of the function to minimise.</summary>
internal delegate double RigidObjective(RigidTransform transform, Span<double> gradient);

/// <summary>Called after each iteration with (iteration, metric, step mm).</summary>
internal delegate void IterationCallback(int iteration, double metric, double stepMm);

/// <summary>Result of one optimiser run.</summary>
internal readonly record struct OptimizerOutcome(RigidTransform Transform, double Value, int Iterations, StopReason Reason);

/// <summary>
/// The optimisers, working in scaled parameter space: parameter i is multiplied by its scale (mm of sample
/// displacement per unit parameter), so one unit means about one millimetre of motion for every parameter.
/// </summary>
internal static class RigidOptimizer
{
    public static OptimizerOutcome Run(OptimizerSettings settings, RigidObjective f, RigidTransform start, ReadOnlySpan<double> scales,
        double stepFactor, IterationCallback? callback, CancellationToken ct) => settings.Kind switch
        {
            OptimizerKind.Lbfgs => Lbfgs(settings, f, start, scales, stepFactor, callback, ct),
            _ => RegularStep(settings, f, start, scales, stepFactor, callback, ct),
        };

    /// <summary>
    /// Regular-step gradient descent: a step of fixed physical length along the negative scaled gradient, halved
    /// (relaxation factor) whenever the gradient direction turns by more than 90°. Rotation steps compose the
    /// versor on the left, as ITK's versor optimiser does.
    /// </summary>
    private static OptimizerOutcome RegularStep(OptimizerSettings o, RigidObjective f, RigidTransform x, ReadOnlySpan<double> scales,
        double stepFactor, IterationCallback? callback, CancellationToken ct)
    {
        const int n = RigidParameters.Count;
        Span<double> g = stackalloc double[n], gu = stackalloc double[n], prev = stackalloc double[n], delta = stackalloc double[n];
        double step = o.MaximumStepMm * stepFactor, minStep = o.MinimumStepMm * stepFactor;
        bool havePrev = false;
        double value = double.NaN;
        var reason = StopReason.MaximumIterations;
        int it = 0;
        for (; it < o.MaximumIterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            value = f(x, g);
            double norm = 0, dot = 0;
            for (int i = 0; i < n; i++)
            {
                gu[i] = g[i] / scales[i];
                norm += gu[i] * gu[i];
                dot += gu[i] * prev[i];
            }
            norm = Math.Sqrt(norm);
            if (norm < o.GradientTolerance) { reason = StopReason.GradientTooSmall; break; }
            if (havePrev && dot < 0) step *= o.RelaxationFactor;
            if (step < minStep) { reason = StopReason.MinimumStepReached; break; }
            for (int i = 0; i < n; i++) delta[i] = -step * gu[i] / norm / scales[i];
            x = RigidParameters.Apply(x, delta);
            gu.CopyTo(prev);
            havePrev = true;
            callback?.Invoke(it + 1, value, step);
        }
        if (reason == StopReason.MaximumIterations) value = f(x, Span<double>.Empty);
        return new OptimizerOutcome(x, value, it, reason);
    }

    /// <summary>
    /// L-BFGS (two-loop recursion) with a backtracking Armijo line search; the first trial step is capped at the
    /// maximum step length. Rotation increments compose the versor on the left, so the curvature pairs are
    /// taken in the local tangent space (exact for translations, first-order for rotations).
    /// </summary>
    private static OptimizerOutcome Lbfgs(OptimizerSettings o, RigidObjective f, RigidTransform x, ReadOnlySpan<double> scales,
        double stepFactor, IterationCallback? callback, CancellationToken ct)
    {
        const int n = RigidParameters.Count;
        int m = o.LbfgsMemory;
        var sHist = new double[m * n];
        var yHist = new double[m * n];
        var rho = new double[m];
        var alphaTmp = new double[m];
        int stored = 0, head = 0;
        Span<double> g = stackalloc double[n], gu = stackalloc double[n], d = stackalloc double[n];
        Span<double> gNew = stackalloc double[n], guNew = stackalloc double[n], delta = stackalloc double[n];
        double maxStep = o.MaximumStepMm * stepFactor, minStep = o.MinimumStepMm * stepFactor;
        double value = f(x, g);
        for (int i = 0; i < n; i++) gu[i] = g[i] / scales[i];
        var reason = StopReason.MaximumIterations;
        int it = 0;
        for (; it < o.MaximumIterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            double gnorm = Norm(gu);
            if (gnorm < o.GradientTolerance) { reason = StopReason.GradientTooSmall; break; }
            // two-loop recursion: d = −H·gu
            gu.CopyTo(d);
            for (int c = 0; c < stored; c++)
            {
                int idx = (head - 1 - c + m) % m;
                double a = rho[idx] * Dot(sHist.AsSpan(idx * n, n), d);
                alphaTmp[idx] = a;
                Axpy(-a, yHist.AsSpan(idx * n, n), d);
            }
            if (stored > 0)
            {
                int last = (head - 1 + m) % m;
                var yl = yHist.AsSpan(last * n, n);
                double gamma = Dot(sHist.AsSpan(last * n, n), yl) / Dot(yl, yl);
                for (int i = 0; i < n; i++) d[i] *= gamma;
            }
            for (int c = stored - 1; c >= 0; c--)
            {
                int idx = (head - 1 - c + m) % m;
                double b = rho[idx] * Dot(yHist.AsSpan(idx * n, n), d);
                Axpy(alphaTmp[idx] - b, sHist.AsSpan(idx * n, n), d);
            }
            for (int i = 0; i < n; i++) d[i] = -d[i];
            double slope = Dot(gu, d);
            if (!(slope < 0))
            {
                // not a descent direction: restart from steepest descent
                stored = 0;
                for (int i = 0; i < n; i++) d[i] = -gu[i];
                slope = -gnorm * gnorm;
            }
            double dnorm = Norm(d);
            // without curvature pairs the direction has no natural length: start with the maximum step
            double alpha = stored == 0 ? maxStep / dnorm : Math.Min(1.0, maxStep / dnorm);
            bool accepted = false;
            double newValue = value;
            RigidTransform trial = x;
            while (alpha * dnorm >= minStep)
            {
                for (int i = 0; i < n; i++) delta[i] = alpha * d[i] / scales[i];
                trial = RigidParameters.Apply(x, delta);
                newValue = f(trial, gNew);
                if (newValue <= value + 1e-4 * alpha * slope) { accepted = true; break; }
                alpha *= 0.5;
            }
            if (!accepted)
            {
                // the quasi-Newton model may be stale: forget it and retry once along the steepest descent
                if (stored > 0) { stored = 0; it--; continue; }
                reason = StopReason.LineSearchFailed;
                break;
            }
            double s2 = 0, sy = 0;
            int slot = head;
            for (int i = 0; i < n; i++)
            {
                guNew[i] = gNew[i] / scales[i];
                double si = alpha * d[i], yi = guNew[i] - gu[i];
                sHist[slot * n + i] = si;
                yHist[slot * n + i] = yi;
                s2 += si * si;
                sy += si * yi;
            }
            if (sy > 1e-12 * Math.Max(1e-300, s2))
            {
                rho[slot] = 1.0 / sy;
                head = (head + 1) % m;
                stored = Math.Min(stored + 1, m);
            }
            double change = Math.Abs(value - newValue);
            x = trial;
            value = newValue;
            guNew.CopyTo(gu);
            callback?.Invoke(it + 1, value, alpha * dnorm);
            if (change <= o.FunctionTolerance * Math.Max(Math.Abs(value), 1e-12)) { reason = StopReason.FunctionToleranceReached; it++; break; }
        }
        return new OptimizerOutcome(x, value, it, reason);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] += a * x[i];
    }
}
