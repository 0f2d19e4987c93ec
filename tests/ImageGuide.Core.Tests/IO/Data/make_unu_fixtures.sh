#!/bin/sh
# Writes the NRRD fixtures of NrrdInteropTests with teem's unu (the NRRD reference implementation;
# Debian package teem-apps, command teem-unu). Voxel n (i fastest) holds 11*n - 40 as int16.
set -e
python3 -c "import struct,sys; sys.stdout.buffer.write(struct.pack('<24h', *[11*n-40 for n in range(24)]))" > /tmp/unu_src.raw
teem-unu make -i /tmp/unu_src.raw -t short -s 2 3 4 -e raw -en little -spc RAS \
  -orig "(10,20,30)" -dirs "(0,2,0) (-3,0,0) (0,0,4)" -k domain domain domain -o /tmp/unu_ras.nrrd
teem-unu save -f nrrd -e gzip -i /tmp/unu_ras.nrrd -o unu_ras_gzip.nrrd
teem-unu make -i /tmp/unu_src.raw -t short -s 2 3 4 -e raw -en little -spc LAS \
  -orig "(-1.5,2.5,-3.5)" -dirs "(1,0,0) (0,0.5,0) (0,0,2)" -o /tmp/unu_las.nrrd
teem-unu save -f nrrd -e raw -en big -i /tmp/unu_las.nrrd -o unu_las_bigendian.nhdr
teem-unu make -i /tmp/unu_src.raw -t short -s 2 3 4 -e raw -en little -spc LPS \
  -orig "(0,0,0)" -dirs "(0.5,0.5,0) (-0.5,0.5,0) (0,0,1)" -o /tmp/unu_lps.nrrd
teem-unu save -f nrrd -e ascii -i /tmp/unu_lps.nrrd -o unu_lps_ascii.nrrd
