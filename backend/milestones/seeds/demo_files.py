"""Small real documents for the demo's evidence, written in code (no dependency): a
one-page PDF with a few lines of text, and a PNG bar chart."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence


def _pdf_text(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode()
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(title: str, lines: Sequence[str]) -> bytes:
    """A valid one-page A4 PDF 1.4: the title in 18 pt Helvetica, the lines below it."""
    content = [f"BT /F1 18 Tf 72 770 Td ({_pdf_text(title)}) Tj /F1 11 Tf"]
    content += [f"0 -22 Td ({_pdf_text(line)}) Tj" for line in lines]
    content.append("ET")
    stream = "\n".join(content).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_chart(values: Sequence[float], *, width: int = 240, height: int = 120) -> bytes:
    """A valid 8-bit RGB PNG: one blue bar per value on white, scaled to the largest."""
    top = max(values) or 1.0
    slot = width // max(1, len(values))
    white, blue = b"\xff\xff\xff", b"\x22\x8b\xe6"
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter type: none
        for x in range(width):
            i = x // slot
            bar = i < len(values) and x % slot >= 3 and height - y <= values[i] / top * height
            row += blue if bar else white
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )
