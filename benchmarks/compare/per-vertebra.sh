#!/usr/bin/env bash
# ImageGuide's per-vertebra (piecewise-rigid) spine fusion vs elastix B-spline + TransformRigidityPenalty on known
# spine posture pairs (issue 13, item 6): per-level TRE and wall time, side by side.
#
# Usage: benchmarks/compare/per-vertebra.sh            (needs ../shared/data/ct-mr-totalsegmentator or $PER_VERTEBRA_DATA)
#   PER_VERTEBRA_SEEDS="1 2 3"   the posture seeds (default 1 2 3; a seed takes 3–4 minutes on 2 cores, nearly all of it elastix)
#   PER_VERTEBRA_ONECALL=1       also run elastix's rigid + B-spline stages in one call with the fixed rigidity image as it
#                                is (column "elastix BS+RP 1-call"; see the caveat below; ~3 more minutes a seed)
#   PER_VERTEBRA_KEEP=1          keep the work folder; PER_VERTEBRA_TIMEOUT=S per process (default 900)
#   PER_VERTEBRA_IG_DLL=path/imageguide.dll uses a CLI built elsewhere instead of building this checkout.
# Installs with apt-get when missing (as root): elastix (with transformix), python3-numpy.
#
# Pairs (benchmarks/ImageGuide.Benchmarks `posture-pair`, i.e. `dotnet run --project benchmarks/ImageGuide.Benchmarks
# -c Release -- posture-pair --ct CT --labels L --seed N --out DIR`): the fixed image is the real CT
# (ct-mr-totalsegmentator/example_ct.nii.gz, 3 mm), its TotalSegmentator labels give seven levels (26 S1 … 32 T12).
# PostureChange bends the spine by seeded joint rotations (lordosis 2–5° per joint, one sign, ±2° bend and twist; each
# vertebra moves rigidly, the tissue between follows), then the whole posed body moves by a seeded rigid motion (±20°,
# ±60 mm) onto another grid (1.15× in-plane, 0.8× slice spacing, axes tilted 7°) with an MR-like non-monotonic contrast
# and 3% noise (the tests' SpinePosture/KnownMotion recipe). Truth of level i: Compose(posture_i, global).
# Written per seed: fixed.mha, moving.mha, labels.nii.gz (the seven levels only), rigidity.mha (1 in the seven vertebrae,
# 0 elsewhere, fixed grid), NAME-truth.tfm, points-NAME.txt (≤ 500 voxel centres of the level, elastix point format).
#
# Tools, each on the same files, each starting from the images' own patient (LPS) coordinates:
#   ImageGuide  `imageguide register --fixed F --moving M --out G.tfm --per-vertebra DIR --fixed-labels labels.nii.gz
#               --json` (exit 0, or 4 when a level is rejected): the per-level 4×4 ("vertebrae"[i].matrix) and the global
#               rigid result it starts from (top-level "matrix") — one process, so both columns share its time.
#   elastix rigid   elastix-rigid.txt with AutomaticTransformInitialization "true" + CenterOfGravity (Euler, Mattes MI).
#   elastix BS+RP   elastix-bspline-rigidity.txt (Mattes MI + TransformRigidityPenalty, Staring et al. 2007 weights
#               LC 100 / OC 1 / PC 2, Metric1Weight 0.1, B-spline grid 64→32→16 mm, ASGD 500 it.) started with -t0 from
#               the rigid call, with FixedRigidityImageName = the rigidity image carried into the frame of the rigid
#               result (per_vertebra.py carry: only its header changes, origin T0(o) and axes R0·D). Why: with
#               HowToCombineTransforms "Compose" the B-spline acts on T0(x), so its coefficient grid lies in T0's frame,
#               and elastix 5.0.1 looks the fixed rigidity image up there unmoved — its own source says the fixed
#               rigidity image "does not correctly support initial transforms" and asks for the inverted initial
#               transform (TransformRigidityPenaltyTerm::FillRigidityCoefficientImage); the carried image is exactly
#               that, from the fixed labels and elastix's own rigid result (no truth). Its time = rigid call + carrying
#               + B-spline call. The 1-call variant (PER_VERTEBRA_ONECALL=1) is `elastix -p rigid -p bspline` with the
#               uncarried rigidity.mha, i.e. the penalty sits up to the rigid motion (here 20–40 mm) away from the bone.
#   Scoring: transformix -def points-all.txt maps each level's fixed points (OutputPoint, fixed → moving).
# Conventions: every transform maps fixed → moving points (ITK: moving point = T(fixed point)) in LPS mm. ITK .tfm and
# elastix TransformParameters are fixed → moving in LPS; MetaImage is LPS (TransformMatrix = axis vectors one after the
# other); NIfTI is RAS (x and y negated to get LPS).
# Table: per seed × level, median / max TRE = |T_tool(p) − T_truth(p)| over the level's points (mm), per tool; wall time
# per seed and tool (s, process start to end), the mean and its ratio over ImageGuide's; summary: per tool the worst
# level's median TRE over all seeds and the mean time. ImageGuide levels not "good" (or replaced by a fallback) are noted.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=benchmarks/compare
elastix_rigid=src/ImageGuide.Core/Workflows/Validation/elastix-rigid.txt  # the set-up validate --compare elastix embeds
data=${PER_VERTEBRA_DATA:-$(cd .. && pwd)/shared/data}/ct-mr-totalsegmentator
[ -f "$data/example_ct.nii.gz" ] || { echo "no CT at $data (set PER_VERTEBRA_DATA to the shared data folder)" >&2; exit 3; }
seeds=${PER_VERTEBRA_SEEDS:-1 2 3}
py=/usr/bin/python3

need=()
command -v elastix >/dev/null || need+=(elastix)
command -v transformix >/dev/null || need+=(elastix)
$py -c "import numpy" 2>/dev/null || need+=(python3-numpy)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

build() { # project, dll, log name
  echo "building $1 (Release)" >&2
  if ! dotnet build "$1" -c Release -v q -nologo >"${TMPDIR:-/tmp}/per-vertebra-$3.log" 2>&1; then
    grep -m5 ' error ' "${TMPDIR:-/tmp}/per-vertebra-$3.log" >&2 || true
    [ -f "$2" ] || exit 1
    echo "WARNING: the build failed; using the one built before ($2, $(date -r "$2" '+%F %T'))" >&2
  fi
}
ig_dll=${PER_VERTEBRA_IG_DLL:-src/ImageGuide.Cli/bin/Release/net10.0/imageguide.dll}
[ -z "${PER_VERTEBRA_IG_DLL:-}" ] && build src/ImageGuide.Cli "$ig_dll" cli
bench_dll=benchmarks/ImageGuide.Benchmarks/bin/Release/net10.0/ImageGuide.Benchmarks.dll
build benchmarks/ImageGuide.Benchmarks "$bench_dll" benchmarks
ig="dotnet $ig_dll"

work=$(mktemp -d "${TMPDIR:-/tmp}/per-vertebra.XXXXXX")
if [ "${PER_VERTEBRA_KEEP:-0}" = 1 ]; then echo "work folder: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
{ sed 's/^(AutomaticTransformInitialization .*/(AutomaticTransformInitialization "true")/' $elastix_rigid
  echo '(AutomaticTransformInitializationMethod "CenterOfGravity")'; } >"$work/elastix-rigid-cog.txt"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
tmo=${PER_VERTEBRA_TIMEOUT:-900}
: >"$work/times.tsv"
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$work/times.tsv"; }
elx_fail() { echo "  $1 exit $2: $(grep -m1 -i -A2 'error' "$3/elastix.log" 2>/dev/null | tr '\n' ' ' | cut -c1-300)" >&2; }
points() { # transform parameters file, output folder
  mkdir -p "$2"
  transformix -def "$pair/points-all.txt" -tp "$1" -out "$2" >/dev/null 2>&1 </dev/null ||
    echo "  transformix failed on $1: $(grep -m1 -i -A2 'error' "$2/transformix.log" 2>/dev/null | tr '\n' ' ' | cut -c1-300)" >&2
}

for s in $seeds; do
  pair=$work/seed$s
  echo "[seed $s] making the posture pair" >&2
  dotnet "$bench_dll" posture-pair --ct "$data/example_ct.nii.gz" --labels "$data/example_seg_fast_force_split.nii.gz" \
    --seed "$s" --out "$pair" </dev/null
  $py $here/per_vertebra.py points "$pair"

  # ImageGuide: global rigid, then per vertebra
  echo "[seed $s] ImageGuide" >&2
  t0=$(now); set +e
  timeout "$tmo" $ig register --fixed "$pair/fixed.mha" --moving "$pair/moving.mha" --out "$pair/ig-global.tfm" \
    --per-vertebra "$pair/ig" --fixed-labels "$pair/labels.nii.gz" --json >"$pair/ig.json" 2>"$pair/ig.err" </dev/null
  code=$?; set -e; t1=$(now)
  [ $code -ne 0 ] && echo "  imageguide exit $code: $(tail -c 300 "$pair/ig.err" | tr '\n' ' ')" >&2
  record "$s" ig "$(secs "$t0" "$t1")" $code

  # elastix rigid (also the start of the B-spline stage)
  echo "[seed $s] elastix rigid" >&2
  out=$pair/elx-rigid; mkdir -p "$out"
  t0=$(now); set +e
  timeout "$tmo" elastix -f "$pair/fixed.mha" -m "$pair/moving.mha" -p "$work/elastix-rigid-cog.txt" -out "$out" >/dev/null 2>&1 </dev/null
  code=$?; set -e; t1=$(now)
  rigid_secs=$(secs "$t0" "$t1")
  [ $code -ne 0 ] && elx_fail "elastix rigid" $code "$out"
  record "$s" elx-rigid "$rigid_secs" $code
  points "$out/TransformParameters.0.txt" "$pair/elx-rigid-points"

  # elastix B-spline + rigidity penalty, the rigidity image carried into the rigid result's frame
  if [ $code -eq 0 ]; then
    echo "[seed $s] elastix B-spline + rigidity penalty" >&2
    out=$pair/elx-bs; mkdir -p "$out"
    t0=$(now); set +e
    $py $here/per_vertebra.py carry "$pair" "$pair/elx-rigid/TransformParameters.0.txt" &&
      { cat $here/elastix-bspline-rigidity.txt; echo "(FixedRigidityImageName \"$pair/rigidity-carried.mha\")"; } >"$pair/elastix-bs.txt" &&
      timeout "$tmo" elastix -f "$pair/fixed.mha" -m "$pair/moving.mha" -t0 "$pair/elx-rigid/TransformParameters.0.txt" \
        -p "$pair/elastix-bs.txt" -out "$out" >/dev/null 2>&1 </dev/null
    code=$?; set -e; t1=$(now)
    [ $code -ne 0 ] && elx_fail "elastix B-spline" $code "$out"
    record "$s" elx-bs "$(awk -v a="$rigid_secs" -v b="$(secs "$t0" "$t1")" 'BEGIN { printf "%.3f", a + b }')" $code
    [ $code -eq 0 ] && points "$out/TransformParameters.0.txt" "$pair/elx-bs-points"
  fi

  # optional: both stages in one call, the rigidity image as it is (elastix's documented initial-transform caveat)
  if [ "${PER_VERTEBRA_ONECALL:-0}" = 1 ]; then
    echo "[seed $s] elastix rigid + B-spline in one call" >&2
    out=$pair/elx-bs1; mkdir -p "$out"
    { cat $here/elastix-bspline-rigidity.txt; echo "(FixedRigidityImageName \"$pair/rigidity.mha\")"; } >"$pair/elastix-bs1.txt"
    t0=$(now); set +e
    timeout "$tmo" elastix -f "$pair/fixed.mha" -m "$pair/moving.mha" -p "$work/elastix-rigid-cog.txt" -p "$pair/elastix-bs1.txt" \
      -out "$out" >/dev/null 2>&1 </dev/null
    code=$?; set -e; t1=$(now)
    [ $code -ne 0 ] && elx_fail "elastix 1-call" $code "$out"
    record "$s" elx-bs1 "$(secs "$t0" "$t1")" $code
    [ $code -eq 0 ] && points "$out/TransformParameters.1.txt" "$pair/elx-bs1-points"
  fi
done

echo
echo "ImageGuide: $ig_dll ($(date -r "$ig_dll" '+%F %T')); elastix $(elastix --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1); $(nproc) cores; seeds $seeds"
echo "TRE per level (mm): median / max over the level's voxel centres (≤ 500 per level); truth = posture_i ∘ global"
$py $here/per_vertebra.py report "$work"
