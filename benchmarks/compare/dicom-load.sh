#!/usr/bin/env bash
# Times loading DICOM series into a rescaled float volume, in one run: ImageGuide vs pydicom+numpy (read every
# file, sort, stack, rescale) vs `cat` of the same files. Goal: >= 5x faster than pydicom, within 2x of cat.
# Usage: benchmarks/compare/dicom-load.sh [repeats]   (needs ../shared/data; installs python3-pydicom if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-10}
if ! /usr/bin/python3 -c "import pydicom, numpy" 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3-pydicom python3-numpy >/dev/null
fi
dotnet build benchmarks/ImageGuide.Benchmarks -c Release -v q -nologo >/dev/null
bench="dotnet benchmarks/ImageGuide.Benchmarks/bin/Release/net10.0/ImageGuide.Benchmarks.dll"
large=$($bench write-series 512 512 300)

time_cat() {
  local best=999999
  find "$1" -type f -exec cat {} + >/dev/null
  for _ in $(seq "$repeats"); do
    local t0 t1
    t0=$(date +%s.%N); find "$1" -type f -exec cat {} + >/dev/null; t1=$(date +%s.%N)
    best=$(echo "$t1 - $t0" | bc -l | awk -v b="$best" '{print ($1 < b) ? $1 : b}')
  done
  printf "%.4f" "$best"
}

printf "%-34s %10s %10s %10s %14s %12s\n" "series" "imageguide" "pydicom" "cat" "pydicom/ours" "ours/cat"
for series in "../shared/data/ct-philips-brain-5mm/dicom" "../shared/data/ct-ge-gantry-tilt/dicom" "$large"; do
  ours=$($bench load "$series" "$repeats")
  py=$(/usr/bin/python3 benchmarks/compare/pydicom_load.py "$series" "$repeats")
  c=$(time_cat "$series")
  name=$(basename "$(dirname "$series")")/$(basename "$series")
  awk -v n="$name" -v a="$ours" -v b="$py" -v c="$c" \
    'BEGIN { printf "%-34s %9.3fs %9.3fs %9.3fs %13.1fx %11.2fx\n", n, a, b, c, b / a, a / c }'
done
