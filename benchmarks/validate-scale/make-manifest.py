#!/usr/bin/env python3
"""A validation manifest of N cheap cases for measuring `imageguide validate` at scale (memory, throughput, sharding).

    benchmarks/validate-scale/make-manifest.py DIR N

writes DIR/fixed.mha and DIR/moving.mha (a 20 x 20 x 20 volume, 2 mm voxels: three Gaussian blobs; the moving image
is the same scene shifted by (1, -1, 0.5) mm), DIR/truth.tfm (that shift, the true fixed -> moving transform) and
DIR/manifest-N.json: N cases case-00000 ... all registering the pair with the "fast" preset and scored against the
truth at 50 random points. Every case is a real registration (about 10-30 ms each), just a tiny one: the cost of a
run is then the engine itself (manifest, scheduling, case files, report), which is what the scale measurements are
about. Only the Python standard library is used.
"""
import json, math, os, struct, sys

def volume(shift):
    n, sp, org = 20, 2.0, -19.0
    blobs = [((-6, -4, 2), 5.0, 1000.0), ((7, 5, -3), 4.0, 700.0), ((0, 8, 8), 3.0, 400.0)]
    data = bytearray()
    for k in range(n):
        for j in range(n):
            for i in range(n):
                x, y, z = org + i * sp - shift[0], org + j * sp - shift[1], org + k * sp - shift[2]
                v = sum(a * math.exp(-((x - c[0]) ** 2 + (y - c[1]) ** 2 + (z - c[2]) ** 2) / (2 * s * s)) for c, s, a in blobs)
                data += struct.pack("<f", v)
    header = (f"ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\n"
              f"TransformMatrix = 1 0 0 0 1 0 0 0 1\nOffset = {org} {org} {org}\nElementSpacing = {sp} {sp} {sp}\n"
              f"DimSize = {n} {n} {n}\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n")
    return header.encode() + bytes(data)

def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    shift = (1.0, -1.0, 0.5)
    for name, s in (("fixed.mha", (0, 0, 0)), ("moving.mha", shift)):
        path = os.path.join(out, name)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(volume(s))
    # fixed -> moving: a fixed point p shows the scene point that sits at p + shift in the moving image
    with open(os.path.join(out, "truth.tfm"), "w") as f:
        f.write("#Insight Transform File V1.0\n#Transform 0\nTransform: VersorRigid3DTransform_double_3_3\n"
                f"Parameters: 0 0 0 {shift[0]} {shift[1]} {shift[2]}\nFixedParameters: 0 0 0\n")
    with open(os.path.join(out, f"manifest-{count}.json"), "w") as f:
        f.write('{ "version": 1, "trePoints": 50, "cases": [\n')
        for i in range(count):
            case = {"id": f"case-{i:05d}", "fixed": "fixed.mha", "moving": "moving.mha", "groundTruthTransform": "truth.tfm",
                    "preset": "fast", "tags": {"pair": ["CT-CT", "CT-MR"][i % 2], "site": "synthetic"}}
            f.write("  " + json.dumps(case) + (",\n" if i + 1 < count else "\n"))
        f.write("] }\n")

main()
