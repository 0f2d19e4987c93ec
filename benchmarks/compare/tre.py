#!/usr/bin/python3
"""TRE of an estimated fixed->moving transform against the phantom's ground truth at the fixed frame's landmarks.
usage: tre.py LANDMARKS.csv TRUTH.tfm (ESTIMATE.tfm | --points transformix_outputpoints.txt)
Prints 'median max' in mm. Parses ITK .tfm files with real_pairs.py's parser (no ImageGuide code)."""
import sys, re
import numpy as np

from real_pairs import apply, read_tfm as read_tfm_matrix


def read_tfm(path):
    """ITK text transform file (fixed -> moving) -> function of (N,3) points (the parser of real_pairs.py)."""
    m = read_tfm_matrix(path)
    return lambda q: apply(m, q)

pts = np.array([[float(v) for v in line.strip().split(",")[-3:]] for line in open(sys.argv[1]).readlines()[1:] if line.strip()])
truth = read_tfm(sys.argv[2])(pts)
if sys.argv[3] == "--points":
    est = np.array([[float(v) for v in re.search(r"OutputPoint = \[ ([^\]]*)\]", line).group(1).split()] for line in open(sys.argv[4])])
else:
    est = read_tfm(sys.argv[3])(pts)
err = np.linalg.norm(est - truth, axis=1)
print(f"{np.median(err):.3f} {err.max():.3f}")
