#!/usr/bin/python3
"""TRE of an estimated fixed->moving transform against the phantom's ground truth at the fixed frame's landmarks.
usage: tre.py LANDMARKS.csv TRUTH.tfm (ESTIMATE.tfm | --points transformix_outputpoints.txt)
Prints 'median max' in mm. Parses ITK VersorRigid3D .tfm files itself (no ImageGuide code)."""
import sys, re
import numpy as np

def read_tfm(path):
    text = open(path).read()
    p = [float(v) for v in re.search(r"^Parameters: (.*)$", text, re.M).group(1).split()]
    c = np.array([float(v) for v in re.search(r"^FixedParameters: (.*)$", text, re.M).group(1).split()])
    x, y, z = p[:3]
    w = np.sqrt(max(0.0, 1 - x * x - y * y - z * z))
    r = np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
                  [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
                  [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)]])
    t = np.array(p[3:6])
    return lambda q: (r @ (q - c).T).T + c + t

pts = np.array([[float(v) for v in line.strip().split(",")[-3:]] for line in open(sys.argv[1]).readlines()[1:] if line.strip()])
truth = read_tfm(sys.argv[2])(pts)
if sys.argv[3] == "--points":
    est = np.array([[float(v) for v in re.search(r"OutputPoint = \[ ([^\]]*)\]", line).group(1).split()] for line in open(sys.argv[4])])
else:
    est = read_tfm(sys.argv[3])(pts)
err = np.linalg.norm(est - truth, axis=1)
print(f"{np.median(err):.3f} {err.max():.3f}")
