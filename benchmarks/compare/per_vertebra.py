#!/usr/bin/python3
"""Helper of per-vertebra.sh (scoring and small file jobs; it uses no ImageGuide code).

usage:
  per_vertebra.py points PAIR            PAIR/points-all.txt: every level's points-NAME.txt in one elastix point file
  per_vertebra.py carry PAIR RIGID_TP    PAIR/rigidity-carried.mha: rigidity.mha carried into the moving frame by
                                         elastix's rigid result (RIGID_TP, an EulerTransform TransformParameters file)
  per_vertebra.py report WORK            the table: per seed × level the median/max TRE of every tool, times, summary

All transforms map fixed -> moving points in LPS mm (ITK convention; elastix's TransformParameters and transformix's
OutputPoint alike). The truth of a level is PAIR/NAME-truth.tfm (ITK VersorRigid3DTransform, written by the
benchmarks' posture-pair verb); ImageGuide's results are the 4x4 matrices of its --json output.
"""
import json
import os
import re
import sys

import numpy as np

from real_pairs import read_tfm as read_tfm_matrix


def levels(pair):
    """[(label, name, count)] cranial first, as posture-pair wrote them."""
    out = []
    for line in open(os.path.join(pair, "levels.tsv")):
        if line.strip():
            label, name, n = line.split("\t")
            out.append((int(label), name, int(n)))
    return out


def read_points(path):
    lines = open(path).read().split("\n")
    n = int(lines[1])
    return np.array([[float(v) for v in lines[2 + i].split()] for i in range(n)])


def read_tfm(path):
    """ITK text transform file (fixed -> moving) -> function of (N,3) points (the parser of real_pairs.py)."""
    return matrix_fn(read_tfm_matrix(path))


def matrix_fn(m):
    m = np.asarray(m, dtype=float)
    return lambda q: (m[:3, :3] @ q.T).T + m[:3, 3]


def elx_values(text, key):
    m = re.search(r"^\(" + key + r" ([^)]*)\)", text, re.M)
    return None if m is None else [v.strip('"') for v in m.group(1).split()]


def euler(tp_path):
    """elastix EulerTransform (3D) -> (R, t, c) with T(x) = R (x - c) + c + t."""
    text = open(tp_path).read()
    if elx_values(text, "Transform")[0] != "EulerTransform":
        raise SystemExit(f"{tp_path}: expected an EulerTransform")
    if elx_values(text, "InitialTransformParametersFileName")[0] != "NoInitialTransform":
        raise SystemExit(f"{tp_path}: an initial transform is not supported here")
    rx, ry, rz, tx, ty, tz = (float(v) for v in elx_values(text, "TransformParameters"))
    c = np.array([float(v) for v in elx_values(text, "CenterOfRotationPoint")])
    cx, sx, cy, sy, cz, sz = np.cos(rx), np.sin(rx), np.cos(ry), np.sin(ry), np.cos(rz), np.sin(rz)
    rot_x = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rot_y = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rot_z = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    zyx = (elx_values(text, "ComputeZYX") or ["false"])[0] == "true"
    r = rot_z @ rot_y @ rot_x if zyx else rot_z @ rot_x @ rot_y  # itk::Euler3DTransform::ComputeMatrix
    return r, np.array([tx, ty, tz]), c


def cmd_points(pair):
    pts = [read_points(os.path.join(pair, f"points-{name}.txt")) for _, name, _ in levels(pair)]
    allp = np.concatenate(pts)
    with open(os.path.join(pair, "points-all.txt"), "w") as f:
        f.write(f"point\n{len(allp)}\n")
        for p in allp:
            f.write(f"{p[0]!r} {p[1]!r} {p[2]!r}\n")


def cmd_carry(pair, tp_path):
    """Rewrites rigidity.mha's header so that its voxels sit where elastix's rigid result T0 carries them: origin
    T0(o), axes R0 D. Exact (no resampling): the carried image at y is the fixed rigidity at T0^-1(y). This is the
    compensation the elastix source asks for (TransformRigidityPenaltyTerm::FillRigidityCoefficientImage, 'we should
    actually use the inverted initial transform here'): with HowToCombineTransforms Compose the B-spline acts on
    T0(x), so its coefficient grid lives in the T0-carried frame, where it looks the fixed rigidity image up unmoved."""
    r, t, c = euler(tp_path)
    src = os.path.join(pair, "rigidity.mha")
    raw = open(src, "rb").read()
    end = raw.index(b"ElementDataFile = LOCAL\n") + len(b"ElementDataFile = LOCAL\n")
    header = raw[:end].decode("ascii")
    d = np.array([float(v) for v in re.search(r"^TransformMatrix = (.*)$", header, re.M).group(1).split()]).reshape(3, 3).T
    o = np.array([float(v) for v in re.search(r"^Offset = (.*)$", header, re.M).group(1).split()])
    d2 = r @ d
    o2 = r @ (o - c) + c + t
    header = re.sub(r"^TransformMatrix = .*$", "TransformMatrix = " + " ".join(repr(float(v)) for v in d2.T.reshape(-1)), header, flags=re.M)
    header = re.sub(r"^Offset = .*$", "Offset = " + " ".join(repr(float(v)) for v in o2), header, flags=re.M)
    header = re.sub(r"^AnatomicalOrientation = .*\n", "", header, flags=re.M)
    with open(os.path.join(pair, "rigidity-carried.mha"), "wb") as f:
        f.write(header.encode("ascii") + raw[end:])


def outputpoints(path):
    return np.array([[float(v) for v in re.search(r"OutputPoint = \[ ([^\]]*)\]", line).group(1).split()]
                     for line in open(path) if "OutputPoint" in line])


TOOLS = [  # key, column title, key of its time in times.tsv
    ("ig-pv", "IG per-vertebra", "ig"),
    ("ig-global", "IG global rigid", "ig"),  # the global rigid result is the first step of the same process
    ("elx-rigid", "elastix rigid", "elx-rigid"),
    ("elx-bs", "elastix BS+RP", "elx-bs"),
    ("elx-bs1", "elastix BS+RP 1-call", "elx-bs1"),
]


def cmd_report(work):
    times = {}  # (seed, tool) -> (seconds, exit code)
    for line in open(os.path.join(work, "times.tsv")):
        seed, tool, secs, code = line.rstrip("\n").split("\t")
        times[(seed, tool)] = (float(secs), int(code))
    seeds = sorted({s for s, _ in times}, key=int)
    time_key = {k: tk for k, _, tk in TOOLS}
    tools = [(k, t) for k, t, tk in TOOLS if any((s, tk) in times for s in seeds)]
    rows, worst = [], {k: [] for k, _ in tools}
    status_notes = []
    for seed in seeds:
        pair = os.path.join(work, f"seed{seed}")
        lv = levels(pair)
        pts = {name: read_points(os.path.join(pair, f"points-{name}.txt")) for _, name, _ in lv}
        truth = {name: read_tfm(os.path.join(pair, f"{name}-truth.tfm")) for _, name, _ in lv}
        est = {}  # tool -> name -> (N,3) estimate or None
        ig = None
        try:
            ig = json.load(open(os.path.join(pair, "ig.json")))
        except (OSError, ValueError):
            pass
        if ig is not None:
            by_name = {v["name"]: v for v in ig.get("vertebrae", [])}
            est["ig-pv"] = {n: (matrix_fn(by_name[n]["matrix"])(pts[n]) if n in by_name else None) for n in pts}
            est["ig-global"] = {n: matrix_fn(ig["matrix"])(pts[n]) for n in pts}
            for n, v in by_name.items():
                if v["verdict"]["status"] != "good" or v.get("fallback"):
                    status_notes.append(f"seed {seed} {n}: ImageGuide verdict {v['verdict']['status']}"
                                        + (f", {v['fallback']}" if v.get("fallback") else ""))
        for key in ("elx-rigid", "elx-bs", "elx-bs1"):
            f = os.path.join(pair, f"{key}-points", "outputpoints.txt")
            if (seed, key) not in times or not os.path.exists(f):
                continue
            allp = outputpoints(f)
            out, at = {}, 0
            for _, name, n in lv:
                out[name] = allp[at:at + n] if at + n <= len(allp) else None
                at += n
            est[key] = out
        for _, name, _ in lv:
            cells = []
            for key, _ in tools:
                e = est.get(key, {}).get(name)
                if e is None:
                    cells.append("—")
                    worst[key].append(np.inf)
                    continue
                err = np.linalg.norm(e - truth[name](pts[name]), axis=1)
                cells.append(f"{np.median(err):5.2f} / {err.max():5.2f}")
                worst[key].append(np.median(err))
            rows.append((seed, name, cells))
    # the table
    w = max(15, *(len(t) for _, t in tools))
    print(f"{'seed':>4} {'level':<5} " + " ".join(f"{t:>{w}}" for _, t in tools))
    print(f"{'':>4} {'':<5} " + " ".join(f"{'median / max':>{w}}" for _ in tools))
    last = None
    for seed, name, cells in rows:
        if last is not None and seed != last:
            print()
        last = seed
        print(f"{seed:>4} {name:<5} " + " ".join(f"{c:>{w}}" for c in cells))
    print()
    print("wall time, s (process start to end; elastix BS+RP = its rigid call + carrying the rigidity image + the B-spline call)")
    print(f"{'seed':>4} " + " ".join(f"{t:>{w}}" for _, t in tools))
    for seed in seeds:
        cells = []
        for key, _ in tools:
            v = times.get((seed, time_key[key]))
            cells.append("—" if v is None else f"{v[0]:.1f}" + ("" if v[1] == 0 else f" (exit {v[1]})"))
        print(f"{seed:>4} " + " ".join(f"{c:>{w}}" for c in cells))
    means = {}
    for key, _ in tools:
        vals = [times[(s, time_key[key])][0] for s in seeds if (s, time_key[key]) in times]
        means[key] = float(np.mean(vals)) if vals else float("nan")
    print(f"{'mean':>4} " + " ".join(f"{means[k]:>{w}.1f}" for k, _ in tools))
    base = means.get("ig-pv", float("nan"))
    print(f"{'×IG':>4} " + " ".join(f"{means[k] / base:>{w}.1f}" for k, _ in tools))
    print()
    print("summary (worst level's median TRE over all seeds; mean wall time; time over ImageGuide per-vertebra's):")
    for key, title in tools:
        wv = max(worst[key]) if worst[key] else float("nan")
        print(f"  {title:<22} worst median {wv:6.2f} mm   mean time {means[key]:6.1f} s   ×{means[key] / base:.1f}")
    for n in status_notes:
        print("  note: " + n)


def main(argv):
    if len(argv) >= 2 and argv[0] == "points":
        cmd_points(argv[1])
    elif len(argv) >= 3 and argv[0] == "carry":
        cmd_carry(argv[1], argv[2])
    elif len(argv) >= 2 and argv[0] == "report":
        cmd_report(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
