#!/bin/sh
# Regenerates the codec fixtures in this folder: uncompressed sources written by make_native.py, compressed
# by DCMTK's own encoders (dcmcjpeg true-lossless codec, dcmcrle), which share no code with ImageGuide.
# Made with DCMTK 3.6.7 (Debian package dcmtk). Run from this folder: sh make_fixtures.sh
# fixtures.tsv lists: compressed file, its uncompressed source, transfer syntax UID, the compressed file's
# PlanarConfiguration (- when absent), the JPEG point transform.
set -eu
python3 make_native.py .
: > fixtures.tsv
add() { # add OUT SOURCE POINT_TRANSFORM
  ts=$(dcmdump -Un +P 0002,0010 "$1" | sed 's/.*\[\(.*\)\].*/\1/')
  pc=$(dcmdump +P 0028,0006 "$1" | awk '{print $3}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$ts" "${pc:--}" "$3" >> fixtures.tsv
}
for sv in 1 2 3 4 5 6 7; do
  dcmcjpeg +el +sv $sv native_s16.dcm jpll_s16_sv$sv.dcm && add jpll_s16_sv$sv.dcm native_s16.dcm 0
done
dcmcjpeg +e1 native_s16.dcm jpll_s16_e1.dcm && add jpll_s16_e1.dcm native_s16.dcm 0
dcmcjpeg +el +sv 4 +pt 2 native_u12_2frames.dcm jpll_u12_2frames_sv4_pt2.dcm && add jpll_u12_2frames_sv4_pt2.dcm native_u12_2frames.dcm 2
dcmcjpeg +e1 native_rgb8.dcm jpll_rgb8_e1.dcm && add jpll_rgb8_e1.dcm native_rgb8.dcm 0
# 1 KiB fragments: one frame spread over several items
dcmcjpeg +el +sv 7 +fs 1 native_rgb8.dcm jpll_rgb8_sv7_fragments.dcm && add jpll_rgb8_sv7_fragments.dcm native_rgb8.dcm 0
dcmcjpeg +el +sv 5 native_rgb8_planar.dcm jpll_rgb8_planar_sv5.dcm && add jpll_rgb8_planar_sv5.dcm native_rgb8_planar.dcm 0
dcmcrle native_s16.dcm rle_s16.dcm && add rle_s16.dcm native_s16.dcm 0
dcmcrle native_u12_2frames.dcm rle_u12_2frames.dcm && add rle_u12_2frames.dcm native_u12_2frames.dcm 0
dcmcrle native_rgb8.dcm rle_rgb8.dcm && add rle_rgb8.dcm native_rgb8.dcm 0
dcmcrle native_rgb8_planar.dcm rle_rgb8_planar.dcm && add rle_rgb8_planar.dcm native_rgb8_planar.dcm 0
