#!/usr/bin/env bash
# HTJ2K (Part 15) decoding, ImageGuide's managed codec against OpenJPEG's opj_decompress (apt libopenjp2-tools),
# single-threaded, the same codestreams, alternating in the same run, $REPEATS rounds, medians:
#   the pydicom 640×480 RGB files, lossless and lossy, 10 copies each.
# ImageGuide: frame decoding in-process (`ImageGuide.Benchmarks decode-frames DIR 1 --cpu`: one warm-up round, then one
# timed round over the 10 frames, its wall and process CPU time; the codec alone). OpenJPEG: the whole process over the
# 10 codestreams (start, read, decode, write PGX) — for these frames the decode dominates — with its wall and CPU
# (user + sys) time. On a loaded machine wall times stretch with the load; the CPU ratio is the steadier one.
# BASELINE_BENCH="dotnet path/to/ImageGuide.Benchmarks.dll" adds another build (e.g. the previous commit's) to the alternation.
# A ratio above 1 means ImageGuide is slower.
# Usage: benchmarks/compare/htj2k.sh [repeats]
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-7}
data=${SHARED_DATA:-../shared/data}
for tool in opj_decompress bc /usr/bin/time; do command -v $tool >/dev/null || { echo "$tool not found: apt-get install libopenjp2-tools bc time" >&2; exit 2; }; done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
[ -n "${NO_BUILD:-}" ] || dotnet build benchmarks/ImageGuide.Benchmarks -c Release -v q -nologo >/dev/null
bench="dotnet benchmarks/ImageGuide.Benchmarks/bin/Release/net10.0/ImageGuide.Benchmarks.dll"
base=${BASELINE_BENCH:-}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

printf '%-34s %20s %20s %10s %10s' file "ImageGuide wall/cpu" "opj wall/cpu" "wall ratio" "cpu ratio"
[ -n "$base" ] && printf ' %20s %10s %10s' "baseline wall/cpu" "wall ratio" "cpu ratio"
echo
for pair in "HTJ2K lossless RGB, 10 × 640×480:HTJ2KLossless_08_RGB.dcm" "HTJ2K lossy RGB, 10 × 640×480:HTJ2K_08_RGB.dcm"; do
  IFS=: read -r label file <<<"$pair"
  src=$data/dicom-codecs-enhanced-seg/pydicom-data/$file
  rm -rf "$work/ht" "$work/htj" "$work/htout"; mkdir -p "$work/ht" "$work/htj" "$work/htout"
  for i in 0 1 2 3 4 5 6 7 8 9; do cp "$src" "$work/ht/$i.dcm"; done
  /usr/bin/python3 - "$src" "$work/htj" <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read()
soc = b.find(b'\xff\x4f\xff\x51')
item = b.rfind(b'\xfe\xff\x00\xe0', 0, soc)
length = struct.unpack('<I', b[item + 4:item + 8])[0]
for i in range(10): open(f'{sys.argv[2]}/{i}.j2c', 'wb').write(b[soc:item + 8 + length])
PY
  : >"$work/ours"; : >"$work/opj"; : >"$work/base"
  for _ in $(seq "$repeats"); do
    $bench decode-frames "$work/ht" 1 --cpu >>"$work/ours"
    (cd "$work/htout" && /usr/bin/time -f '%e %U %S' -o "$work/t" env OPJ_NUM_THREADS=1 opj_decompress -ImgDir "$work/htj" -OutFor PGX -threads 1 -quiet >/dev/null 2>&1)
    awk '{printf "%.4f %.4f\n", $1, $2 + $3}' "$work/t" >>"$work/opj"
    [ -n "$base" ] && $base decode-frames "$work/ht" 1 --cpu >>"$work/base"
  done
  ow=$(cut -d' ' -f1 "$work/ours" | median); oc=$(cut -d' ' -f2 "$work/ours" | median)
  pw=$(cut -d' ' -f1 "$work/opj" | median); pc=$(cut -d' ' -f2 "$work/opj" | median)
  ms() { echo "$1 * 1000" | bc -l; }
  printf '%-34s %9.1f/%6.1f ms %9.1f/%6.1f ms %10.2f %10.2f' "$label" "$(ms "$ow")" "$(ms "$oc")" "$(ms "$pw")" "$(ms "$pc")" \
    "$(echo "$ow / $pw" | bc -l)" "$(echo "$oc / $pc" | bc -l)"
  if [ -n "$base" ]; then
    bw=$(cut -d' ' -f1 "$work/base" | median); bcpu=$(cut -d' ' -f2 "$work/base" | median)
    printf ' %9.1f/%6.1f ms %10.2f %10.2f' "$(ms "$bw")" "$(ms "$bcpu")" "$(echo "$bw / $pw" | bc -l)" "$(echo "$bcpu / $pc" | bc -l)"
  fi
  echo
done
