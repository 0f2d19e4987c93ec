#!/usr/bin/env bash
# Whole-process DICOM loading, ImageGuide's command against dcm2niix (apt dcm2niix), same series, same run:
#   `imageguide convert SERIES out.nii` and `imageguide info --json SERIES` vs `dcm2niix -z n -o DIR SERIES`
#   (both uncompressed .nii; dcm2niix also writes its JSON sidecar).
# Each is a fresh process (start-up, header scan, decode, rescale, write). The tools run alternately, $REPEATS rounds;
# the table gives the median wall time and the median CPU time (user + sys, from /usr/bin/time) of each, and the ratio
# of the medians. On a shared machine the wall times are noisy: trust the ratio of one run, not absolute numbers.
# ImageGuide runs as the Native AOT binary (`dotnet publish src/ImageGuide.Cli -c Release -r linux-x64
# -p:PublishAot=true`, published here into a temporary folder unless AOT=path/to/imageguide is given).
# Series: the real 28-slice Philips head CT, a 190-slice 384 × 320 series and a 283-slice 512² series written by
# ImageGuide (the latter RLE-compressed by DCMTK's dcmcrle).
# Both write the stored integers: dcm2niix int16 with scl_slope/inter, ImageGuide int16 HU when every value is a whole
# number within 16 bits (VolumeIO.WriteExact), float32 otherwise; a series with Rescale Slope 1 and an integer intercept
# stays in its stored 16-bit integers from decoding to writing (no float volume).
# NO_BUILD=1 uses the benchmark tool as already built (the written series are cached under $TMPDIR).
# BASELINE=path/to/other/imageguide adds that binary's convert and info (e.g. the previous commit's) to the same alternation.
# A ratio above 1 means ImageGuide is faster.
# Usage: benchmarks/compare/cli-load.sh [repeats]   (needs ../shared/data, dcm2niix, dcmtk, bc, /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-7}
data=${SHARED_DATA:-../shared/data}
for tool in dcm2niix dcmcrle bc /usr/bin/time; do command -v $tool >/dev/null || { echo "$tool not found: apt-get install dcm2niix dcmtk bc time" >&2; exit 2; }; done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
aot=${AOT:-}
if [ -z "$aot" ]; then
  echo "publishing the Native AOT binary (a few minutes the first time) ..." >&2
  dotnet publish src/ImageGuide.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" -v q -nologo >/dev/null
  aot="$work/aot/imageguide"
fi
[ -n "${NO_BUILD:-}" ] || dotnet build benchmarks/ImageGuide.Benchmarks -c Release -v q -nologo >/dev/null
bench="dotnet benchmarks/ImageGuide.Benchmarks/bin/Release/net10.0/ImageGuide.Benchmarks.dll"

mr=$($bench write-series 384 320 190)
ct=$($bench write-series 512 512 283)
mkdir -p "$work/rle283"
for f in "$ct"/*; do dcmcrle "$f" "$work/rle283/$(basename "$f")"; done

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
once() { # "wall cpu" of one run of "$@" into an empty output folder (wall in ns from date; CPU in 10 ms ticks)
  rm -rf "$work/o"; mkdir -p "$work/o"
  local s e; s=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$work/t" "$@" >/dev/null 2>&1
  e=$(date +%s%N)
  awk -v w="$(( (e - s) / 1000 ))" '{printf "%.4f %.3f\n", w / 1e6, $1 + $2}' "$work/t"
}

base=${BASELINE:-}
printf '%-24s %16s %16s %16s %10s %10s' series "convert wall/cpu" "info wall/cpu" "dcm2niix wall/cpu" "d2n/conv" "d2n/info"
[ -n "$base" ] && printf ' %18s %10s %18s %10s' "baseline conv w/cpu" "d2n/base" "baseline info w/cpu" "d2n/binfo"
echo
for pair in "Philips CT 28 × 512²:$data/ct-philips-brain-5mm/dicom" "190 × 384 × 320:$mr" "RLE CT 283 × 512²:$work/rle283"; do
  name=${pair%%:*}; series=${pair#*:}
  : >"$work/conv"; : >"$work/info"; : >"$work/d2n"; : >"$work/base"; : >"$work/binfo"
  for _ in $(seq "$repeats"); do # alternate, so that load changes hit all three alike
    once "$aot" convert "$series" "$work/o/x.nii" >>"$work/conv"
    once dcm2niix -z n -o "$work/o" "$series" >>"$work/d2n"
    once "$aot" info --json "$series" >>"$work/info"
    [ -n "$base" ] && once "$base" convert "$series" "$work/o/x.nii" >>"$work/base"
    [ -n "$base" ] && once "$base" info --json "$series" >>"$work/binfo"
  done
  cw=$(cut -d' ' -f1 "$work/conv" | median); cc=$(cut -d' ' -f2 "$work/conv" | median)
  iw=$(cut -d' ' -f1 "$work/info" | median); ic=$(cut -d' ' -f2 "$work/info" | median)
  dw=$(cut -d' ' -f1 "$work/d2n" | median); dc=$(cut -d' ' -f2 "$work/d2n" | median)
  printf '%-24s %7.4fs/%5.2fs %7.4fs/%5.2fs %7.4fs/%5.2fs %9.2fx %9.2fx' "$name" "$cw" "$cc" "$iw" "$ic" "$dw" "$dc" \
    "$(echo "$dw / $cw" | bc -l)" "$(echo "$dw / $iw" | bc -l)"
  if [ -n "$base" ]; then
    bw=$(cut -d' ' -f1 "$work/base" | median); bc_=$(cut -d' ' -f2 "$work/base" | median)
    biw=$(cut -d' ' -f1 "$work/binfo" | median); bic=$(cut -d' ' -f2 "$work/binfo" | median)
    printf ' %9.4fs/%5.2fs %9.2fx %9.4fs/%5.2fs %9.2fx' "$bw" "$bc_" "$(echo "$dw / $bw" | bc -l)" "$biw" "$bic" "$(echo "$dw / $biw" | bc -l)"
  fi
  echo
done
