"""What an upload is: puremagic's signatures, our OOXML and plain-text checks, file names."""

from __future__ import annotations

import io
import struct

import pytest

from milestones.errors import UnsupportedMediaType
from milestones.services.file_types import CHUNK, detect_type, sanitize_filename


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\plan.docx", "plan.docx"),
        ('say "hi"; rm -rf.txt', "say _hi__ rm -rf.txt"),
        ("line\r\nbreak\x00.pdf", "linebreak.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ("Déjà vu ✓.pdf", "Déjà vu _.pdf"),
        ("ﬁle.pdf", "file.pdf"),  # NFKC
        ("", "file"),
        (None, "file"),
        ("   ", "file"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_sanitize_filename(raw, expected):
    assert sanitize_filename(raw) == expected


def test_markup_split_across_chunks_is_found():
    content = b"a" * (CHUNK - 3) + b"<script>alert(1)</script>"
    with pytest.raises(UnsupportedMediaType):
        detect_type(io.BytesIO(content), "notes.txt")
    assert detect_type(io.BytesIO(b"a" * (CHUNK + 10)), "notes.txt")[0].startswith("text/plain")


def test_utf8_split_across_chunks_is_valid():
    content = b"a" * (CHUNK - 1) + "é".encode() * 10
    assert detect_type(io.BytesIO(content), "n.md") == ("text/markdown; charset=utf-8", "n.md")
    with pytest.raises(UnsupportedMediaType):
        detect_type(io.BytesIO(b"a" * (CHUNK - 1) + b"\xc3"), "n.txt")  # truncated sequence


WAV = b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + b"\x00" * 24
JPEG_2000 = b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00" * 32


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        # puremagic lists a bare "RIFF" under WebP; a WAV file's own signature ranks higher
        (WAV, "sound.webp"),
        # puremagic labels JPEG 2000 "image/jpeg": the kind is taken from its extension
        (JPEG_2000, "photo.jpg"),
    ],
)
def test_loose_signatures_do_not_pass_for_allowed_types(content, filename):
    with pytest.raises(UnsupportedMediaType) as refused:
        detect_type(io.BytesIO(content), filename)
    assert refused.value.code == "file_type_not_allowed"
    assert "This file type is not allowed" in refused.value.message


def test_only_the_start_of_a_file_is_its_signature():
    # puremagic matches "</svg>" at the end of a file; the head of a PDF still says PDF
    content = b"%PDF-1.4\n" + b"0" * 64 + b"</svg>"
    assert detect_type(io.BytesIO(content), "report.pdf") == ("application/pdf", "report.pdf")
