#!/usr/bin/env python3
"""PNG checks for tests/cli/test_render.sh, with nothing but the standard library.

  render_png.py size FILE                 -> "W H"
  render_png.py pixel FILE X Y            -> "#rrggbb"
  render_png.py near FILE X Y R #rrggbb T -> exit 0 when a pixel within R of (X, Y) is within T
                                             of the colour in every channel
  render_png.py count FILE N #rrggbb...  -> exit 0 when every colour fills at least N pixels; else
                                             names those that do not
  render_png.py compare A B MEAN FRAC     -> exit 0 when A and B have one size, a mean absolute
                                             difference per channel <= MEAN, and at most FRAC of
                                             pixels differing by more than 48 in some channel
"""
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("%s: not a PNG" % path)
    pos, idat, width, height, ctype, depth = 8, [], 0, 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    if depth != 8 or ctype not in (2, 6):
        raise SystemExit("%s: only 8-bit RGB or RGBA PNGs are read here" % path)
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def pixel(img, x, y):
    w, h, bpp, rows = img
    return tuple(rows[y][x * bpp:x * bpp + 3])


def main():
    cmd = sys.argv[1]
    if cmd == "size":
        w, h, _, _ = read_png(sys.argv[2])
        print(w, h)
    elif cmd == "pixel":
        print("#%02x%02x%02x" % pixel(read_png(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
    elif cmd == "near":
        img = read_png(sys.argv[2])
        x, y, r = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        want = tuple(int(sys.argv[6][i:i + 2], 16) for i in (1, 3, 5))
        tol = int(sys.argv[7])
        for yy in range(max(0, y - r), min(img[1], y + r + 1)):
            for xx in range(max(0, x - r), min(img[0], x + r + 1)):
                if all(abs(p - q) <= tol for p, q in zip(pixel(img, xx, yy), want)):
                    sys.exit(0)
        print("no pixel near (%d, %d) is %s; there: #%02x%02x%02x" % ((x, y, sys.argv[6]) + pixel(img, x, y)))
        sys.exit(1)
    elif cmd == "count":
        w, h, bpp, rows = read_png(sys.argv[2])
        least, seen = int(sys.argv[3]), {}
        for row in rows:
            for x in range(0, w * bpp, bpp):
                key = bytes(row[x:x + 3])
                seen[key] = seen.get(key, 0) + 1
        few = ["%s (%d)" % (c, seen.get(bytes.fromhex(c[1:]), 0)) for c in sys.argv[4:]
               if seen.get(bytes.fromhex(c[1:]), 0) < least]
        if few:
            print("fewer than %d pixels of: %s" % (least, ", ".join(few)))
            sys.exit(1)
    elif cmd == "compare":
        a, b = read_png(sys.argv[2]), read_png(sys.argv[3])
        if a[:2] != b[:2]:
            print("sizes differ: %dx%d and %dx%d" % (a[0], a[1], b[0], b[1]))
            sys.exit(1)
        total, far, n = 0, 0, a[0] * a[1]
        for y in range(a[1]):
            ra, rb = a[3][y], b[3][y]
            if a[2] == b[2] and ra == rb:
                continue  # most rows of two renders of one map are equal
            for x in range(a[0]):
                d = [abs(ra[x * a[2] + i] - rb[x * b[2] + i]) for i in range(3)]
                total += sum(d)
                far += max(d) > 48
        mean, frac = total / (3.0 * n), far / float(n)
        print("mean difference %.3f, %.4f of pixels far apart" % (mean, frac))
        sys.exit(0 if mean <= float(sys.argv[4]) and frac <= float(sys.argv[5]) else 1)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
