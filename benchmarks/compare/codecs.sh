#!/usr/bin/env bash
# Every managed codec against its native peer, same files, same run, single-threaded, printing the ratios:
#   JPEG 2000  — the real 20-slice JPEG 2000 CT series   vs OpenJPEG opj_decompress (apt libopenjp2-tools)
#   HTJ2K      — the pydicom 640×480 RGB files (lossless, lossy), 10 copies each, vs the same opj_decompress
#   JPEG-LS    — a 2140×1760 CR, lossless and NEAR=4     vs CharLS through DCMTK dcmdjpls (apt dcmtk)
#   JPEG       — the same CR as 12-bit lossy JPEG        vs libjpeg through DCMTK dcmdjpeg
# ImageGuide: frame decoding in-process after a warm-up round (the codec alone). The peers: whole processes (start,
# read, decode, write), best of 3 — for these large frames the decode dominates; for the CT the process overhead is
# shared over 20 frames. A ratio above 1 means ImageGuide is slower.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${SHARED_DATA:-../shared/data}
for tool in opj_decompress dcmdjpls dcmdjpeg bc; do command -v $tool >/dev/null || { echo "$tool not found: apt-get install libopenjp2-tools dcmtk bc" >&2; exit 2; }; done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dotnet build benchmarks/ImageGuide.Benchmarks -c Release -v q >/dev/null
bench() { dotnet benchmarks/ImageGuide.Benchmarks/bin/Release/net10.0/ImageGuide.Benchmarks.dll decode-frames "$1" 3; }
best3() { local best=999; for _ in 1 2 3; do local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; local t; t=$(echo "$(date +%s.%N) - $s" | bc -l); best=$(echo "if ($t < $best) $t else $best" | bc -l); done; echo "$best"; }
row() { printf '%-34s ImageGuide %8.1f ms   %-16s %8.1f ms   ratio %.2f\n' "$1" "$(echo "$2 * 1000" | bc -l)" "$3" "$(echo "$4 * 1000" | bc -l)" "$(echo "$2 / $4" | bc -l)"; }

# JPEG 2000: the CT series (20 frames), opj_decompress over all codestreams in one process
series=$data/ct-mr-totalsegmentator/example_ct_dicom
mkdir -p "$work/j2k" "$work/out"
/usr/bin/python3 - "$series" "$work/j2k" <<'PY'
import os, struct, sys
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    b = open(os.path.join(src, name), 'rb').read()
    soc = b.find(b'\xff\x4f\xff\x51')
    if soc < 0: continue
    item = b.rfind(b'\xfe\xff\x00\xe0', 0, soc)
    length = struct.unpack('<I', b[item + 4:item + 8])[0]
    open(os.path.join(dst, name + '.j2k'), 'wb').write(b[soc:item + 8 + length])
PY
ours=$(bench "$series")
opj=$(cd "$work/out" && best3 env OPJ_NUM_THREADS=1 opj_decompress -ImgDir "$work/j2k" -OutFor PGX -threads 1 -quiet)
row "JPEG 2000 lossless CT, 20 × 512²" "$ours" "opj_decompress" "$opj"

# HTJ2K (Part 15): each pydicom file 10 times (one process over 10 codestreams for OpenJPEG)
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
  ours=$(bench "$work/ht")
  opj=$(cd "$work/htout" && best3 env OPJ_NUM_THREADS=1 opj_decompress -ImgDir "$work/htj" -OutFor PGX -threads 1 -quiet)
  row "$label" "$ours" "opj_decompress" "$opj"
done

# JPEG-LS and JPEG: one large frame each, through DCMTK
for pair in "JPEG-LS lossless CR 2140×1760:JPEGLSLossless/RG2_JLSL.dcm:dcmdjpls" \
            "JPEG-LS NEAR=4 CR 2140×1760:JPEGLS/RG2_JLSN.dcm:dcmdjpls" \
            "JPEG 12-bit lossy CR 2140×1760:JPEGExtended/RG2_JPLY.dcm:dcmdjpeg"; do
  IFS=: read -r label file tool <<<"$pair"
  src=$data/dicom-codecs-enhanced-seg/pylibjpeg-data/$file
  rm -rf "$work/one"; mkdir -p "$work/one"; cp "$src" "$work/one/"
  ours=$(bench "$work/one")
  peer=$(best3 $tool "$src" "$work/decoded.dcm")
  row "$label" "$ours" "$tool" "$peer"
done
