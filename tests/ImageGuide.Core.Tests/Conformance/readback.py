"""Reads DICOM files ImageGuide wrote with pydicom (and GDCM for the pixels when available) and prints one JSON
line per file: position, orientation, spacing, rows/columns, the sum of the real values (rescale applied) and, for a
segmentation, the number of set pixels. Used by WrittenObjectConformanceTests; no ImageGuide code here."""
import json, sys
import pydicom

try:
    import gdcm
except ImportError:
    gdcm = None

for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    out = {"path": path, "sop": str(ds.SOPClassUID), "rows": int(ds.Rows), "columns": int(ds.Columns)}
    arr = ds.pixel_array
    if str(ds.SOPClassUID) == "1.2.840.10008.5.1.4.1.1.66.4":
        out["frames"] = int(ds.NumberOfFrames)
        out["set"] = int((arr != 0).sum())
    else:
        out["ipp"] = [float(v) for v in ds.ImagePositionPatient]
        out["iop"] = [float(v) for v in ds.ImageOrientationPatient]
        out["spacing"] = [float(v) for v in ds.PixelSpacing]
        slope = float(getattr(ds, "RescaleSlope", 1) or 1)
        intercept = float(getattr(ds, "RescaleIntercept", 0) or 0)
        out["sum"] = float((arr.astype("float64") * slope + intercept).sum())
        if gdcm is not None:
            r = gdcm.ImageReader()
            r.SetFileName(path)
            out["gdcm_read"] = bool(r.Read())
    print(json.dumps(out))
