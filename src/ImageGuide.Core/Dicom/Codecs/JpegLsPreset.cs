namespace ImageGuide.Dicom.Codecs;

/// <summary>The preset coding parameters of an LSE segment of type 1 (T.87 C.2.4.1.1); 0 means "default".</summary>
internal readonly record struct JpegLsPreset(int MaxVal, int T1, int T2, int T3, int Reset);
