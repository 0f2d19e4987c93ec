#!/usr/bin/env bash
# Whole-process DICOM loading, ImageGuide's command against dcm2niix (apt dcm2niix), same series, same run:
#   `imageguide convert SERIES out.nii` and `imageguide info --json SERIES` vs `dcm2niix -z n -o DIR SERIES`.
# Each is a fresh process (start-up, header scan, decode, rescale, write), best of $REPEATS wall-clock runs.
# ImageGuide runs as the Native AOT binary (`dotnet publish src/ImageGuide.Cli -c Release -r linux-x64
# -p:PublishAot=true`, published here into a temporary folder) and, for reference, as the JIT build
# (`dotnet imageguide.dll`). Series: the real 28-slice Philips head CT, a 190-slice 384 × 320 series and a 283-slice
# 512² series written by ImageGuide (the latter RLE-compressed by DCMTK's dcmcrle).
# dcm2niix writes the stored int16 with scl_slope/inter; ImageGuide writes rescaled float32 (twice the bytes).
# A ratio above 1 means ImageGuide is faster.
# Usage: benchmarks/compare/cli-load.sh [repeats]   (needs ../shared/data, dcm2niix, dcmtk, bc)
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-7}
data=${SHARED_DATA:-../shared/data}
for tool in dcm2niix dcmcrle bc; do command -v $tool >/dev/null || { echo "$tool not found: apt-get install dcm2niix dcmtk bc" >&2; exit 2; }; done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
echo "publishing the Native AOT binary (a few minutes the first time) ..." >&2
dotnet publish src/ImageGuide.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" -v q -nologo >/dev/null
dotnet build src/ImageGuide.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/ImageGuide.Benchmarks -c Release -v q -nologo >/dev/null
bench="dotnet benchmarks/ImageGuide.Benchmarks/bin/Release/net10.0/ImageGuide.Benchmarks.dll"
aot="$work/aot/imageguide"
jit="dotnet src/ImageGuide.Cli/bin/Release/net10.0/imageguide.dll"

mr=$($bench write-series 384 320 190)
ct=$($bench write-series 512 512 283)
mkdir -p "$work/rle283"
for f in "$ct"/*; do dcmcrle "$f" "$work/rle283/$(basename "$f")"; done

best() { # best wall time of $repeats runs of "$@", each into an empty output folder
  local b=999
  for _ in $(seq "$repeats"); do
    rm -rf "$work/o"; mkdir -p "$work/o"
    local s t; s=$(date +%s.%N); "$@" >/dev/null 2>&1; t=$(echo "$(date +%s.%N) - $s" | bc -l)
    b=$(echo "if ($t < $b) $t else $b" | bc -l)
  done
  echo "$b"
}

printf '%-30s %9s %9s %9s %9s %12s %12s\n' series "convert" "info" "jit conv" dcm2niix "d2n/convert" "d2n/info"
for pair in "Philips CT 28 × 512²:$data/ct-philips-brain-5mm/dicom" "190 × 384 × 320:$mr" "RLE CT 283 × 512²:$work/rle283"; do
  name=${pair%%:*}; series=${pair#*:}
  conv=$(best "$aot" convert "$series" "$work/o/x.nii")
  info=$(best "$aot" info --json "$series")
  jconv=$(best $jit convert "$series" "$work/o/x.nii")
  d2n=$(best dcm2niix -z n -o "$work/o" "$series")
  printf '%-30s %8.3fs %8.3fs %8.3fs %8.3fs %11.2fx %11.2fx\n' "$name" "$conv" "$info" "$jconv" "$d2n" \
    "$(echo "$d2n / $conv" | bc -l)" "$(echo "$d2n / $info" | bc -l)"
done
