using System.Runtime.CompilerServices;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// One of the seven lossless JPEG predictors of ITU T.81 Table H.1, as a struct type so that a generic
/// decoding loop is compiled once per predictor with the prediction inlined.
/// </summary>
internal interface ILosslessPredictor
{
    /// <summary>Prediction from Ra (left), Rb (above) and Rc (above-left).</summary>
    static abstract int Predict(int ra, int rb, int rc);
}

/// <summary>Selection value 1: Ra.</summary>
internal readonly struct PredictLeft : ILosslessPredictor
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Predict(int ra, int rb, int rc) => ra;
}

/// <summary>Selection value 2: Rb.</summary>
internal readonly struct PredictAbove : ILosslessPredictor
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Predict(int ra, int rb, int rc) => rb;
}

/// <summary>Selection value 3: Rc.</summary>
internal readonly struct PredictAboveLeft : ILosslessPredictor
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Predict(int ra, int rb, int rc) => rc;
}

/// <summary>Selection value 4: Ra + Rb − Rc.</summary>
internal readonly struct PredictPlane : ILosslessPredictor
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Predict(int ra, int rb, int rc) => ra + rb - rc;
}

/// <summary>Selection value 5: Ra + ((Rb − Rc) / 2), arithmetic shift.</summary>
internal readonly struct PredictLeftGradient : ILosslessPredictor
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Predict(int ra, int rb, int rc) => ra + ((rb - rc) >> 1);
}

/// <summary>Selection value 6: Rb + ((Ra − Rc) / 2), arithmetic shift.</summary>
internal readonly struct PredictAboveGradient : ILosslessPredictor
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Predict(int ra, int rb, int rc) => rb + ((ra - rc) >> 1);
}

/// <summary>Selection value 7: (Ra + Rb) / 2.</summary>
internal readonly struct PredictAverage : ILosslessPredictor
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Predict(int ra, int rb, int rc) => (ra + rb) >> 1;
}
