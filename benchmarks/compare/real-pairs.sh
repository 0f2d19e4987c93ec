#!/usr/bin/env bash
# ImageGuide vs elastix vs ITK's standard rigid recipe on REAL image pairs (issue 12, item 5).
#
# Usage: benchmarks/compare/real-pairs.sh [quick|full]      (default full; needs ../shared/data or $REAL_PAIRS_DATA)
#   quick: 2 known-transform pairs (RIRE MR, CT 180° turn) + 1 decubitus pair (HFS<->HFP, inverse consistency).
#   full:  6 seeded offsets + one 180° turn per volume ($REAL_PAIRS_OFFSETS changes the 6), a clinical-size pair (the
#          whole real CT resampled to 512² × 283 against a 1.2 mm MR-like copy of ≤ 190 slices moved 80 mm / 20°;
#          $REAL_PAIRS_CLINICAL=0 leaves it out), the decubitus cycles
#          HFS>HFP>HFDL>HFS (both ways) and HFS>HFDR>HFP>HFS, 4 inverse pairs, and spine T1w<->T2w
#          ($REAL_PAIRS_HFDR=0 / $REAL_PAIRS_SPINE=0 leave those out). REAL_PAIRS_KEEP=1 keeps the work folder;
#          REAL_PAIRS_IG_DLL=path/imageguide.dll uses a CLI built elsewhere instead of building this checkout;
#          REAL_PAIRS_IG=jit runs `dotnet imageguide.dll` instead of the Native AOT binary (the default, as shipped).
# Installs with apt-get when missing: elastix, libinsighttoolkit5-dev, cmake, g++, python3-numpy/-scipy/-nibabel.
#
# Tools, each on the same .mha files, each starting from the images' own patient (LPS) coordinates:
#   ImageGuide  `imageguide register --fixed F --moving M --out T.tfm --json` (+ `--preset auto` when `register
#               --help` lists it); its JSON "verdict".status and the exit code (4 = failed quality check) are shown.
#   elastix     elastix-rigid.txt (Euler, Mattes MI 32 bins, 3 levels, ASGD 500 it., 5000 samples) run twice:
#               AutomaticTransformInitialization "false", and "true" with CenterOfGravity.
#   ITK v4      real-itk-rigid.cxx (ImageRegistration8 pattern: VersorRigid3D, CenteredTransformInitializer MomentsOn,
#               Mattes MI v4, RegularStepGradientDescentv4 with physical-shift scales, 3 levels 4/2/1, sigmas 2/1/0 mm),
#               built once with cmake into ${XDG_CACHE_HOME:-~/.cache}/imageguide-real-pairs/.
#
# Method (real_pairs.py does the images and the scoring; it uses no ImageGuide code):
#   1. Known transform: the RIRE T1 MR (mr-rire-t1, MetaImage) and the real CT (ct-mr-totalsegmentator/
#      example_ct_sm.nii.gz, written once as an LPS .mha) are the fixed images. Each moving image is the fixed one
#      with a non-monotonic "MR-like" intensity table (CT: HU<-500→0, 250 at -50, 130 at 20, 400 at 80, 50 at ≥400;
#      MR: a non-monotonic table over its own foreground percentiles), moved by a known rigid T about the fixed
#      image centre (shifts up to ±150 mm and rotations up to ±30° per axis, seeded; plus a 180° turn about S-I),
#      resampled trilinearly onto a grid with 1.15× in-plane and 0.8× slice spacing, axes tilted 7°, centred on the
#      moved anatomy (as a different scanner's frame), plus Gaussian noise (3% of the range).
#      TRE = |T_tool(p) − T_true(p)| at 2000 foreground voxel centres p of the fixed image (median / max, mm).
#   2. Decubitus MR (mr-decubitus-4-positions, one head in HFS/HFP/HFDL/HFDR, converted with `imageguide convert`):
#      no truth, so the cycle residual |T_CA(T_BC(T_AB(p))) − p| and the inverse residual |T_BA(T_AB(p)) − p| at 2000
#      head voxels of A within 70 mm of its image centre.
#   3. Spine T1w <-> T2w (mr-spine-sct): inverse residual only.
# Conventions: every transform maps fixed → moving points (ITK: moving point = T(fixed point)) in LPS mm. ITK .tfm and
# elastix TransformParameters are fixed → moving in LPS; MetaImage is LPS (TransformMatrix = axis vectors one after
# the other); NIfTI is RAS (x and y negated to get LPS). T_AB below is the registration with fixed A, moving B.
# Table: per evaluation and tool the median/max residual (mm), ImageGuide's verdict/exit code per registration, the
# summed wall time (s, process start to end) and that time over ImageGuide's; summary: rows within 2 mm per tool.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-full}
case "$mode" in quick | full) ;; *) echo "usage: $0 [quick|full]" >&2; exit 2 ;; esac
here=benchmarks/compare
elastix_rigid=src/ImageGuide.Core/Workflows/Validation/elastix-rigid.txt  # the set-up validate --compare elastix embeds
export REAL_PAIRS_DATA=${REAL_PAIRS_DATA:-$(cd .. && pwd)/shared/data}
[ -d "$REAL_PAIRS_DATA/mr-rire-t1" ] || { echo "no real data at $REAL_PAIRS_DATA (set REAL_PAIRS_DATA)" >&2; exit 3; }
py=/usr/bin/python3

need=()
command -v elastix >/dev/null || need+=(elastix)
command -v cmake >/dev/null || need+=(cmake)
command -v g++ >/dev/null || need+=(g++)
[ -d /usr/lib/cmake/ITK-5.2 ] || ls -d /usr/lib/cmake/ITK-5* >/dev/null 2>&1 || need+=(libinsighttoolkit5-dev)
$py -c "import numpy, scipy.ndimage, nibabel" 2>/dev/null || need+=(python3-numpy python3-scipy python3-nibabel)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

ig_dll=${REAL_PAIRS_IG_DLL:-src/ImageGuide.Cli/bin/Release/net10.0/imageguide.dll}
ig_kind=${REAL_PAIRS_IG:-aot}   # aot: the CLI as shipped (README, Packaging: Native AOT); jit: `dotnet imageguide.dll`
if [ -z "${REAL_PAIRS_IG_DLL:-}" ]; then
  echo "building ImageGuide CLI (Release, $ig_kind)" >&2
  if [ "$ig_kind" = aot ]; then
    ig_aot=${XDG_CACHE_HOME:-$HOME/.cache}/imageguide-real-pairs/aot
    dotnet publish src/ImageGuide.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$ig_aot" -v q -nologo \
      >"${TMPDIR:-/tmp}/real-pairs-build.log" 2>&1 || { grep -m5 ' error ' "${TMPDIR:-/tmp}/real-pairs-build.log" >&2; exit 1; }
  elif ! dotnet build src/ImageGuide.Cli -c Release -v q -nologo >"${TMPDIR:-/tmp}/real-pairs-build.log" 2>&1; then
    grep -m5 ' error ' "${TMPDIR:-/tmp}/real-pairs-build.log" >&2 || true
    [ -f "$ig_dll" ] || exit 1
    echo "WARNING: the build failed; using the CLI built before ($ig_dll, $(date -r "$ig_dll" '+%F %T'))" >&2
  fi
fi
if [ -z "${REAL_PAIRS_IG_DLL:-}" ] && [ "$ig_kind" = aot ]; then ig=$ig_aot/imageguide; else ig="dotnet $ig_dll"; fi
preset=()
if $ig register --help 2>/dev/null | grep -A1 -e '--preset' | grep -qw auto; then preset=(--preset auto); fi

# ITK program: built once per source version into the user's cache (not into the repository)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/imageguide-real-pairs
itk_src=$cache/itk-src
itk=$cache/itk-build/real-itk-rigid
if ! cmp -s $here/real-itk-rigid.cxx "$itk_src/real-itk-rigid.cxx" || [ ! -x "$itk" ]; then
  echo "building real-itk-rigid (cmake, ITK) into $cache" >&2
  mkdir -p "$itk_src"
  cp $here/real-itk-rigid.cxx "$itk_src/"
  cat >"$itk_src/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.13)
project(real_itk_rigid C CXX)
find_package(ITK REQUIRED COMPONENTS ITKRegistrationMethodsv4 ITKMetricsv4 ITKOptimizersv4 ITKTransform
  ITKIOImageBase ITKIOMeta ITKIONIFTI ITKIOTransformInsightLegacy ITKIOTransformBase)
include(${ITK_USE_FILE})
add_executable(real-itk-rigid real-itk-rigid.cxx)
target_link_libraries(real-itk-rigid ${ITK_LIBRARIES})
EOF
  rm -f "$itk"
  cmake -S "$itk_src" -B "$cache/itk-build" -DCMAKE_BUILD_TYPE=Release >"$cache/cmake.log" 2>&1 || { tail -20 "$cache/cmake.log" >&2; exit 1; }
  cmake --build "$cache/itk-build" -j"$(nproc)" >"$cache/build.log" 2>&1 || { tail -40 "$cache/build.log" >&2; exit 1; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/real-pairs.XXXXXX")
if [ "${REAL_PAIRS_KEEP:-0}" = 1 ]; then echo "work folder: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi

sed 's/^(AutomaticTransformInitialization .*/(AutomaticTransformInitialization "false")/' $elastix_rigid >"$work/elastix-noinit.txt"
{ sed 's/^(AutomaticTransformInitialization .*/(AutomaticTransformInitialization "true")/' $elastix_rigid
  echo '(AutomaticTransformInitializationMethod "CenterOfGravity")'; } >"$work/elastix-cog.txt"

echo "converting the decubitus series" >&2
for p in HFS HFP HFDL HFDR; do
  [ "$mode" = quick ] && [ "$p" != HFS ] && [ "$p" != HFP ] && continue
  $ig convert "$REAL_PAIRS_DATA/mr-decubitus-4-positions/In/$p" "$work/dec-$p.mha" >"$work/convert.log" 2>&1 ||
    { cat "$work/convert.log" >&2; exit 1; }
done
echo "making the pairs" >&2
$py $here/real_pairs.py prepare "$work" $([ "$mode" = quick ] && echo --quick)

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }
tmo=${REAL_PAIRS_TIMEOUT:-600}
n=$(wc -l <"$work/plan.tsv")
: >"$work/results.tsv"
while IFS=$'\t' read -r rid fixed moving; do
  echo "[$rid/$n] $(basename "$fixed") <- $(basename "$moving")" >&2
  # ImageGuide
  t0=$(now); set +e
  timeout "$tmo" $ig register --fixed "$fixed" --moving "$moving" --out "$work/$rid-ig.tfm" --json "${preset[@]}" \
    >"$work/$rid-ig.json" 2>"$work/$rid-ig.err" </dev/null
  code=$?; set -e; t1=$(now)
  verdict=$($py $here/real_pairs.py ig-result "$work/$rid-ig.json" "$work/$rid-ig.tfm")
  [ $code -ne 0 ] && echo "  imageguide exit $code: $(tail -c 300 "$work/$rid-ig.err" | tr '\n' ' ')" >&2
  printf '%s\timageguide\t%s\t%s\t%s\t%s\n' "$rid" "$work/$rid-ig.tfm" $code "$verdict" "$(secs $t0 $t1)" >>"$work/results.tsv"
  # elastix, without and with centre-of-gravity initialisation
  for v in noinit cog; do
    out="$work/$rid-elx-$v"; mkdir -p "$out"
    t0=$(now); set +e
    timeout "$tmo" elastix -f "$fixed" -m "$moving" -p "$work/elastix-$v.txt" -out "$out" >/dev/null 2>&1 </dev/null
    code=$?; set -e; t1=$(now)
    [ $code -ne 0 ] && echo "  elastix-$v exit $code: $(grep -m1 -i -A2 'error' "$out/elastix.log" 2>/dev/null | tr '\n' ' ' | cut -c1-300)" >&2
    printf '%s\telastix-%s\t%s\t%s\t-\t%s\n' "$rid" $v "$out/TransformParameters.0.txt" $code "$(secs $t0 $t1)" >>"$work/results.tsv"
  done
  # ITK v4 standard recipe
  t0=$(now); set +e
  timeout "$tmo" "$itk" "$fixed" "$moving" "$work/$rid-itk.tfm" >"$work/$rid-itk.out" 2>&1 </dev/null
  code=$?; set -e; t1=$(now)
  [ $code -ne 0 ] && echo "  itk exit $code: $(tail -c 300 "$work/$rid-itk.out" | tr '\n' ' ')" >&2
  printf '%s\titk-moments\t%s\t%s\t-\t%s\n' "$rid" "$work/$rid-itk.tfm" $code "$(secs $t0 $t1)" >>"$work/results.tsv"
done <"$work/plan.tsv"

echo
echo "ImageGuide: $ig_dll ($(date -r "$ig_dll" '+%F %T')), register ${preset[*]:-with the default preset}; elastix $(elastix --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1); $(nproc) cores; mode $mode"
$py $here/real_pairs.py report "$work"
