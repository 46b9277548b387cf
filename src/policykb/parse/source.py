"""Read a source as received (plain text extracted from a PDF, or the PDF) into `SourceLine`s.

Decoding is forgiving where the meaning is clear and strict where it is not: a UTF-8 or UTF-16
byte-order mark, CRLF or CR line ends and cp1252 text all read as the same characters as clean
UTF-8; an empty file, a NUL byte, control characters (a binary file) or a file over the size
limit is refused with a `SourceError` that says what is wrong and where.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from policykb.parse.lines import SourceLine

MAX_SOURCE_BYTES = 10 * 1024 * 1024
"""A whole coalition agreement is well under 1 MB of text; 10 MB leaves room and keeps memory bounded."""

PDF_MAGIC = b"%PDF-"
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class SourceError(Exception):
    """A source that cannot be parsed; the message says what and where."""


def read_source(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> tuple[bytes, list[SourceLine]]:
    """The raw bytes of `path` and its lines; a PDF is read with its layout."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SourceError(f"{path}: cannot read: {error.strerror}") from error
    if size > max_bytes:
        raise SourceError(
            f"{path}: {size / 1_048_576:.1f} MB is over the limit of {max_bytes / 1_048_576:.0f} MB "
            "for one source (pass --max-mb to raise it)"
        )
    data = path.read_bytes()
    if data.startswith(PDF_MAGIC) or path.suffix.lower() == ".pdf":
        from policykb.parse.pdf import PdfError, read_pdf  # pdfplumber is slow to import

        try:
            return data, read_pdf(path)
        except PdfError as error:
            raise SourceError(f"{path}: {error}") from error
    return data, text_lines(decode(data, path))


def decode(data: bytes, path: Path | str = "<source>") -> str:
    """Bytes of a text source as one string with `\\n` line ends (form feeds kept)."""
    if not data.strip():
        raise SourceError(f"{path}: the file is empty or holds only whitespace: nothing to parse")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        nul = data.find(b"\x00")
        if nul >= 0:
            line = data[:nul].count(b"\n") + 1
            raise SourceError(
                f"{path}:{line}: NUL byte at offset {nul}: "
                "this is not a text file (binary, or UTF-16 without a byte-order mark)"
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as utf8_error:
            if _UTF8_MULTIBYTE.search(data):
                # Valid UTF-8 elsewhere: reading the whole file as cp1252 would garble it silently.
                line = data[: utf8_error.start].count(b"\n") + 1
                raise SourceError(
                    f"{path}:{line}: byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start} is not UTF-8, "
                    "while the rest of the file is: fix that byte (mixed encodings)"
                ) from utf8_error
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error:
                line = data[: error.start].count(b"\n") + 1
                raise SourceError(
                    f"{path}:{line}: byte 0x{data[error.start]:02x} at offset {error.start} is "
                    "neither UTF-8 nor cp1252: save the text as UTF-8"
                ) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise SourceError(
            f"{path}:{line}: control character U+{ord(control.group()):04X}: "
            "this looks like a binary file, not text"
        )
    if not text.strip():
        raise SourceError(f"{path}: the file holds only whitespace: nothing to parse")
    return text


def text_lines(text: str) -> list[SourceLine]:
    """One `SourceLine` per line of a decoded text; a form feed starts a new physical page."""
    lines = []
    paged = "\f" in text
    page_index = 1
    for number, raw in enumerate(text.split("\n"), start=1):
        for part_index, part in enumerate(raw.split("\f")):
            if part_index:
                page_index += 1
            if part or part_index == 0:
                lines.append(SourceLine(text=part, number=number, physical_page=page_index if paged else None))
    return lines
