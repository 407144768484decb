#!/usr/bin/env python3
"""Draws the Teams app icons: color.png (192x192, full colour) and outline.png (32x32, white on transparent).

Run from anywhere: python3 manifests/teams/make_icons.py. Standard library only (PNG written by hand with zlib).
"""

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Keep in step with accentColor in manifest.json.
ACCENT = (0x1F, 0x6F, 0xB2)
WHITE = (0xFF, 0xFF, 0xFF)
SUPERSAMPLE = 4


def distance_to_segment(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def in_glyph(x, y, scale):
    """A ring with a check mark, in unit coordinates around (0.5, 0.5), shrunk by scale."""
    x = (x - 0.5) / scale + 0.5
    y = (y - 0.5) / scale + 0.5
    ring = abs(math.hypot(x - 0.5, y - 0.5) - 0.40) <= 0.055
    check = (distance_to_segment(x, y, 0.30, 0.52, 0.44, 0.66) <= 0.065
             or distance_to_segment(x, y, 0.44, 0.66, 0.71, 0.37) <= 0.065)
    return ring or check


def coverage(size, scale):
    """Fraction of each pixel the glyph covers, by supersampling."""
    rows = []
    n = SUPERSAMPLE
    for py in range(size):
        row = []
        for px in range(size):
            hits = sum(
                in_glyph((px + (i + 0.5) / n) / size, (py + (j + 0.5) / n) / size, scale)
                for i in range(n) for j in range(n))
            row.append(hits / (n * n))
        rows.append(row)
    return rows


def png(pixels):
    """Encodes rows of (r, g, b, a) as an 8-bit RGBA PNG."""
    height, width = len(pixels), len(pixels[0])

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def blend(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def color_icon():
    return [[blend(ACCENT, WHITE, c) + (255,) for c in row] for row in coverage(192, 0.62)]


def outline_icon():
    # Only white, with the glyph's coverage as alpha: Teams requires white on transparent.
    return [[WHITE + (round(c * 255),) for c in row] for row in coverage(32, 0.94)]


if __name__ == "__main__":
    (HERE / "color.png").write_bytes(png(color_icon()))
    (HERE / "outline.png").write_bytes(png(outline_icon()))
    print(f"wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")
