#!/usr/bin/python3
"""Reference loader: read every DICOM image file of a folder with pydicom, sort along the slice normal,
stack with numpy and apply Rescale Slope/Intercept -> float32 volume. Prints the best time of N runs (s)."""
import os, sys, time
import numpy as np
import pydicom


def load(folder):
    slices = []
    for root, _, names in os.walk(folder):
        for name in names:
            try:
                ds = pydicom.dcmread(os.path.join(root, name))
            except Exception:
                continue
            if "PixelData" not in ds or "ImagePositionPatient" not in ds:
                continue
            slices.append(ds)
    iop = np.array(slices[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(iop[:3], iop[3:])
    slices.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, dtype=float))))
    volume = np.empty((len(slices), slices[0].Rows, slices[0].Columns), dtype=np.float32)
    for k, d in enumerate(slices):
        slope = float(getattr(d, "RescaleSlope", 1) or 1)
        intercept = float(getattr(d, "RescaleIntercept", 0) or 0)
        volume[k] = d.pixel_array.astype(np.float32) * slope + intercept
    return volume


folder, repeats = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
load(folder)  # warm-up
best = float("inf")
for _ in range(repeats):
    t = time.perf_counter()
    v = load(folder)
    best = min(best, time.perf_counter() - t)
print(f"{best:.4f}")
