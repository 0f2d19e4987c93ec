"""Writes the NIfTI fixtures of NiftiInteropTests with nibabel (an independent NIfTI implementation).

Run with the Debian package python3-nibabel (nibabel 5.0.0, numpy 1.24.2):
    /usr/bin/python3 make_nibabel_fixtures.py
Each fixture's RAS affine and voxel formula are restated as literals in NiftiInteropTests.cs.
"""
import numpy as np
import nibabel as nib

# 1. Oblique, right-handed: R = rotation 30 deg about x then axes scaled; sform and qform both set (scanner).
c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
rot = np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
affine = np.eye(4)
affine[:3, :3] = rot @ np.diag([0.5, 0.75, 2.5])
affine[:3, 3] = [-12.5, 40.25, 7.0]
data = (np.arange(5 * 4 * 3).reshape((3, 4, 5)).transpose(2, 1, 0) * 7 - 30).astype(np.int16)  # value = 7*(i + 5j + 20k) - 30
img = nib.Nifti1Image(data, affine)
img.set_sform(affine, code=1)
img.set_qform(affine, code=1)
nib.save(img, "nibabel_oblique_int16.nii.gz")

# 2. Left-handed (qfac = -1), qform only, uint16 with scl_slope 2 / scl_inter -10.
affine2 = np.array([[-2.0, 0, 0, 30], [0, 3.0, 0, -20], [0, 0, 4.0, 10], [0, 0, 0, 1]])  # det < 0
data2 = (np.arange(3 * 2 * 2).reshape((2, 2, 3)).transpose(2, 1, 0) + 100).astype(np.uint16)  # stored = 100 + i + 3j + 6k
img2 = nib.Nifti1Image(data2, affine2)
img2.set_sform(None, code=0)
img2.set_qform(affine2, code=1)
nib.save(img2, "nibabel_qform_lefthanded_scaled.nii")
# nibabel recomputes scaling when saving an in-memory array, so set scl_slope/scl_inter in the saved header and
# let nibabel itself confirm below that it reads the values as 2 * stored - 10.
raw = bytearray(open("nibabel_qform_lefthanded_scaled.nii", "rb").read())
raw[112:120] = np.array([2.0, -10.0], dtype="<f4").tobytes()
open("nibabel_qform_lefthanded_scaled.nii", "wb").write(bytes(raw))
scaled = nib.load("nibabel_qform_lefthanded_scaled.nii")
assert np.allclose(scaled.get_fdata(), 2.0 * data2 - 10.0)

# 3. Big-endian float32 with sform only (aligned).
affine3 = np.array([[0, -1.5, 0, 5], [1.5, 0, 0, 6], [0, 0, 2.0, -7], [0, 0, 0, 1]])
data3 = (np.arange(2 * 3 * 2).reshape((2, 3, 2)).transpose(2, 1, 0) * 0.25 - 1).astype(">f4")  # value = 0.25*(i + 2j + 6k) - 1
hdr = nib.Nifti1Header(endianness=">")
img3 = nib.Nifti1Image(data3, affine3, header=hdr)
img3.set_sform(affine3, code=2)
img3.set_qform(None, code=0)
nib.save(img3, "nibabel_bigendian_float.nii")

# 4. qform only, 180 deg about (1,1,0)/sqrt(2): quaternion a = 0 (the case NIfTI readers must renormalise).
affine4 = np.array([[0, 2.0, 0, 4], [1.0, 0, 0, 5], [0, 0, -3.0, 6], [0, 0, 0, 1]])  # R = [[0,1,0],[1,0,0],[0,0,-1]]·diag(1,2,3)
data4 = np.arange(2 * 2 * 2, dtype=np.uint8).reshape((2, 2, 2)).transpose(2, 1, 0)  # value = i + 2j + 4k
img4 = nib.Nifti1Image(data4, affine4)
img4.set_sform(None, code=0)
img4.set_qform(affine4, code=1)
nib.save(img4, "nibabel_qform_180.nii")
assert abs(float(nib.load("nibabel_qform_180.nii").header["quatern_d"])) < 1e-6

for name in ["nibabel_oblique_int16.nii.gz", "nibabel_qform_lefthanded_scaled.nii", "nibabel_bigendian_float.nii", "nibabel_qform_180.nii"]:
    back = nib.load(name)
    h = back.header
    print(name, h.endianness, "qform", int(h["qform_code"]), "sform", int(h["sform_code"]), "pixdim0", h["pixdim"][0],
          "slope", h["scl_slope"], "inter", h["scl_inter"], "dtype", h.get_data_dtype())
    print(np.array2string(back.affine, precision=10))
