#!/usr/bin/env bash
# JPEG 2000 decoding, ImageGuide's managed codec against OpenJPEG's opj_decompress (apt libopenjp2-tools), on the
# same frames in one run: the real JPEG 2000 lossless CT series of ../shared/data (20 slices, 512², 12 layers).
# Both single-threaded. opj_decompress is timed over all frames in one process (-ImgDir, output PGX); ImageGuide
# decodes frame 0 of each file in-process after a warm-up round (the codec alone). Prints both and the ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
series=${1:-../shared/data/ct-mr-totalsegmentator/example_ct_dicom}
command -v opj_decompress >/dev/null || { echo "opj_decompress not found: apt-get install libopenjp2-tools" >&2; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/j2k" "$work/out"
# the codestream of each file: from SOC (FF4F FF51) to the end of its fragment
/usr/bin/python3 - "$series" "$work/j2k" <<'PY'
import os, struct, sys
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    b = open(os.path.join(src, name), 'rb').read()
    soc = b.find(b'\xff\x4f\xff\x51')
    if soc < 0: continue
    item = b.rfind(b'\xfe\xff\x00\xe0', 0, soc)          # the fragment's item header
    length = struct.unpack('<I', b[item + 4:item + 8])[0]
    open(os.path.join(dst, name + '.j2k'), 'wb').write(b[soc:item + 8 + length])
PY
n=$(ls "$work/j2k" | wc -l)
dotnet build benchmarks/ImageGuide.Benchmarks -c Release -v q >/dev/null
ours=$(dotnet benchmarks/ImageGuide.Benchmarks/bin/Release/net10.0/ImageGuide.Benchmarks.dll decode-frames "$series" 3)
(cd "$work/out" && opj_decompress -ImgDir "$work/j2k" -OutFor PGX -threads 1 -quiet >/dev/null 2>&1) || true  # warm the page cache
start=$(date +%s.%N)
(cd "$work/out" && OPJ_NUM_THREADS=1 opj_decompress -ImgDir "$work/j2k" -OutFor PGX -threads 1 -quiet >/dev/null)
opj=$(echo "$(date +%s.%N) - $start" | bc -l)
printf 'frames: %d\nImageGuide (managed, 1 thread, codec only): %.3f s (%.1f ms/frame)\n' "$n" "$ours" "$(echo "$ours * 1000 / $n" | bc -l)"
printf 'opj_decompress (OpenJPEG, 1 thread, incl. process start and PGX writing): %.3f s (%.1f ms/frame)\n' "$opj" "$(echo "$opj * 1000 / $n" | bc -l)"
printf 'ratio ImageGuide / OpenJPEG: %.2f\n' "$(echo "$ours / $opj" | bc -l)"
