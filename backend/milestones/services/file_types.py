"""What an uploaded file is, by its content: the allow-list of evidence documents.

puremagic identifies the binary formats from their signatures. Two checks remain ours
because no signature can answer them: which Office Open XML document a zip holds (docx,
xlsx and pptx share one signature; their `[Content_Types].xml` and folders tell them
apart), and whether a file is plain text (valid UTF-8, no NUL, no markup a browser would
render or run) for .txt, .csv and .md, which have no signature at all.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from typing import IO

import puremagic
from puremagic.main import PureMagicWithConfidence as Match

from milestones.errors import UnsupportedMediaType

CHUNK = 64 * 1024

PDF, PNG, JPEG, GIF, WEBP = "pdf", "png", "jpeg", "gif", "webp"
TEXT, OLE, DOCX, XLSX, PPTX, ZIP = "text", "ole", "docx", "xlsx", "pptx", "zip"

# extension -> (content kind it must have, content type served)
EXTENSIONS: dict[str, tuple[str, str]] = {
    "pdf": (PDF, "application/pdf"),
    "png": (PNG, "image/png"),
    "jpg": (JPEG, "image/jpeg"),
    "jpeg": (JPEG, "image/jpeg"),
    "gif": (GIF, "image/gif"),
    "webp": (WEBP, "image/webp"),
    "txt": (TEXT, "text/plain; charset=utf-8"),
    "csv": (TEXT, "text/csv; charset=utf-8"),
    "md": (TEXT, "text/markdown; charset=utf-8"),
    "markdown": (TEXT, "text/markdown; charset=utf-8"),
    "doc": (OLE, "application/msword"),
    "xls": (OLE, "application/vnd.ms-excel"),
    "ppt": (OLE, "application/vnd.ms-powerpoint"),
    "docx": (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (PPTX, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
# the extension given to a file whose name has none (an OLE file could be any of three)
DEFAULT_EXTENSION = {
    PDF: "pdf",
    PNG: "png",
    JPEG: "jpg",
    GIF: "gif",
    WEBP: "webp",
    TEXT: "txt",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
}
ALLOWED_NAMES = "pdf, png, jpeg, gif, webp, txt, csv, md, doc/docx, xls/xlsx, ppt/pptx"

# puremagic's extension for a match -> our kind. By extension, not MIME type: puremagic
# also labels JPEG 2000 "image/jpeg". The OLE container (doc, xls, ppt) and zip (OOXML)
# signatures are listed under several extensions; any of them names the container.
_KINDS = {
    ".pdf": PDF,
    ".png": PNG,
    **dict.fromkeys((".jpg", ".jpeg", ".jfif", ".jpe"), JPEG),
    ".gif": GIF,
    ".webp": WEBP,
    **dict.fromkeys((".doc", ".dot", ".xls", ".ppt"), OLE),
    **dict.fromkeys((".zip", ".docx", ".xlsx", ".pptx"), ZIP),
}
_OOXML = {
    DOCX: ("word/", "wordprocessingml.document.main+xml"),
    XLSX: ("xl/", "spreadsheetml.sheet.main+xml"),
    PPTX: ("ppt/", "presentationml.presentation.main+xml"),
}
# Markup a browser would render or run: refused inside "text" files.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|frame|object|embed|meta|link|style"
    rb"|img|form|math|xml|\?xml)\b",
    re.IGNORECASE,
)
_MARKUP_OVERLAP = 32


def _matches(head: bytes) -> list[Match]:
    try:
        return puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return []


def _signature_kind(matches: list[Match]) -> str | None:
    """The kind of puremagic's most confident signature found at the start of the file.

    Only the head is passed, so matches against the end of the file (negative offsets) are
    left out; and only the most confident ones count, since puremagic also lists loose
    entries (a bare "RIFF" under WebP, which a WAV file has too, below its own signature).
    """
    heads = [m for m in matches if m.offset >= 0]
    if not heads:
        return None
    best = [m.extension for m in heads if m.confidence == heads[0].confidence]
    return next((_KINDS[ext] for ext in best if ext in _KINDS), None)


def _ooxml_kind(fileobj: IO[bytes]) -> str | None:
    """docx/xlsx/pptx are zip containers: their [Content_Types].xml and folder say which."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return None
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                return None
            types = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    for kind, (folder, main_type) in _OOXML.items():
        if main_type in types and any(n.startswith(folder) for n in names):
            return kind
    return None


def _is_plain_text(fileobj: IO[bytes]) -> bool:
    """Valid UTF-8, no NUL bytes, no HTML/SVG markup (read in chunks)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    tail = b""
    fileobj.seek(0)
    while chunk := fileobj.read(CHUNK):
        if b"\x00" in chunk:
            return False
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
        window = tail + chunk
        if _MARKUP.search(window):
            return False
        tail = window[-_MARKUP_OVERLAP:]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _kind(fileobj: IO[bytes], matches: list[Match]) -> str | None:
    kind = _signature_kind(matches)
    if kind == ZIP:
        fileobj.seek(0)
        return _ooxml_kind(fileobj)
    if kind is None and _is_plain_text(fileobj):
        return TEXT
    return kind


def detect_type(fileobj: IO[bytes], filename: str) -> tuple[str, str]:
    """(content type, file name with a fitting extension), or 415 naming the problem."""
    fileobj.seek(0)
    matches = _matches(fileobj.read(4096))
    kind = _kind(fileobj, matches)
    fileobj.seek(0)
    looks_like = (matches[0].mime_type if matches else "") or "an unknown type"
    stem, dot, ext = filename.rpartition(".")
    ext = ext.lower() if dot and stem else ""
    if kind is None:
        raise UnsupportedMediaType(
            f"This file type is not allowed (its content looks like {looks_like}); "
            f"allowed: {ALLOWED_NAMES}.",
            code="file_type_not_allowed",
        )
    if not ext:
        if kind not in DEFAULT_EXTENSION:
            raise UnsupportedMediaType(
                "Name the file with its extension (.doc, .xls or .ppt).",
                code="file_type_not_allowed",
            )
        ext = DEFAULT_EXTENSION[kind]
        filename = f"{filename}.{ext}"
    expected = EXTENSIONS.get(ext)
    if expected is None:
        raise UnsupportedMediaType(
            f"Files named .{ext} are not allowed; allowed: {ALLOWED_NAMES}.",
            code="file_type_not_allowed",
        )
    if expected[0] != kind:
        raise UnsupportedMediaType(
            f"The file is named .{ext} but its content is not {ext.upper()} "
            f"(it looks like {looks_like}).",
            code="file_type_mismatch",
        )
    return expected[1], filename


_UNSAFE_NAME = re.compile(r"[^\w .()+,=@\[\]-]", re.UNICODE)


def sanitize_filename(raw: str | None) -> str:
    """A plain file name: no directories, control characters, quotes or leading dots."""
    name = unicodedata.normalize("NFKC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _UNSAFE_NAME.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 200 - len(ext) - 1]}.{ext}" if dot and len(ext) <= 10 else name[:200]
    return name or "file"
