#!/usr/bin/env python3
"""Writes the uncompressed source images (Explicit VR Little Endian Part 10 files) for the codec fixtures.

Pure standard library, deterministic. make_fixtures.sh compresses them with DCMTK's independent encoders.
"""
import math
import struct
import sys
import zlib


def element(group, elem, vr, value):
    if isinstance(value, str):
        raw = value.encode("ascii")
        if len(raw) % 2:
            raw += b"\0" if vr == "UI" else b" "
    else:
        raw = value
    if vr in ("OB", "OW", "SQ", "UN", "UT"):
        return struct.pack("<HH2sHI", group, elem, vr.encode(), 0, len(raw)) + raw
    return struct.pack("<HH2sH", group, elem, vr.encode(), len(raw)) + raw


def us(v):
    return struct.pack("<H", v)


def write(path, rows, cols, spp, bits_allocated, bits_stored, signed, frames, pixels, photometric, planar=0):
    uid_root = "1.2.826.0.1.3680043.2.1143.777."
    sop = uid_root + str(zlib.crc32(path.rsplit("/", 1)[-1].encode()))
    ts = "1.2.840.10008.1.2.1"
    meta = (element(0x0002, 0x0001, "OB", b"\0\1")
            + element(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.7")
            + element(0x0002, 0x0003, "UI", sop)
            + element(0x0002, 0x0010, "UI", ts)
            + element(0x0002, 0x0012, "UI", uid_root + "1"))
    meta = element(0x0002, 0x0000, "UL", struct.pack("<I", len(meta))) + meta
    ds = (element(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7")
          + element(0x0008, 0x0018, "UI", sop)
          + element(0x0008, 0x0060, "CS", "OT")
          + element(0x0010, 0x0010, "PN", "Codec^Fixture")
          + element(0x0010, 0x0020, "LO", "CODEC")
          + element(0x0020, 0x000D, "UI", uid_root + "2")
          + element(0x0020, 0x000E, "UI", uid_root + "3")
          + element(0x0028, 0x0002, "US", us(spp))
          + element(0x0028, 0x0004, "CS", photometric))
    if spp > 1:
        ds += element(0x0028, 0x0006, "US", us(planar))
    if frames > 1:
        ds += element(0x0028, 0x0008, "IS", str(frames))
    ds += (element(0x0028, 0x0010, "US", us(rows))
           + element(0x0028, 0x0011, "US", us(cols))
           + element(0x0028, 0x0100, "US", us(bits_allocated))
           + element(0x0028, 0x0101, "US", us(bits_stored))
           + element(0x0028, 0x0102, "US", us(bits_stored - 1))
           + element(0x0028, 0x0103, "US", us(1 if signed else 0)))
    fmt = {8: "b" if signed else "B", 16: "h" if signed else "H"}[bits_allocated]
    data = struct.pack("<%d%s" % (len(pixels), fmt), *pixels)
    ds += element(0x7FE0, 0x0010, "OB" if bits_allocated == 8 else "OW", data)
    with open(path, "wb") as f:
        f.write(b"\0" * 128 + b"DICM" + meta + ds)


def noise(i):
    """Small deterministic integer hash."""
    i = (i * 2654435761) & 0xFFFFFFFF
    i ^= i >> 15
    return i


def ct_like(rows, cols, frames, lo, hi, seed):
    out = []
    for f in range(frames):
        for y in range(rows):
            for x in range(cols):
                base = 900 * math.sin((x + 3 * f) / 7.0) * math.cos(y / 5.0) + 300 * (x > cols // 2)
                v = int(base) + noise(seed + f * rows * cols + y * cols + x) % 41 - 20
                out.append(max(lo, min(hi, v)))
    # extremes: full-range jumps give difference categories up to 16
    out[0] = hi
    out[1] = lo
    out[cols + 5] = lo
    out[-1] = hi
    return out


def main(folder):
    write(folder + "/native_s16.dcm", 48, 64, 1, 16, 16, True, 1, ct_like(48, 64, 1, -32768, 32767, 11), "MONOCHROME2")
    write(folder + "/native_u12_2frames.dcm", 40, 50, 1, 16, 12, False, 2,
          [v + 2048 for v in ct_like(40, 50, 2, -2048, 2047, 5)], "MONOCHROME2")
    rgb = []
    for y in range(24):
        for x in range(32):
            rgb += [(x * 8) % 256, (y * 10 + noise(x + 32 * y) % 7) % 256, noise(1000 + x + 32 * y) % 256]
    write(folder + "/native_rgb8.dcm", 24, 32, 3, 8, 8, False, 1, rgb, "RGB")
    planes = [rgb[p * 3 + s] for s in range(3) for p in range(24 * 32)]
    write(folder + "/native_rgb8_planar.dcm", 24, 32, 3, 8, 8, False, 1, planes, "RGB", planar=1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
