"""Read a source as received (plain text extracted from a PDF, or the PDF) into `SourceLine`s.

Reading is bounded: only a regular file is read (a FIFO, a device such as /dev/zero or a folder
is refused before anything blocks), and the size limit holds for the bytes actually read, not
the size a file claims. Decoding is forgiving where the meaning is clear and strict where it is
not: a UTF-8 or UTF-16 byte-order mark, CRLF or CR line ends, cp1252 text and Unicode's
decomposed forms (NFD, as some editors save accents) all read as the same characters as clean
UTF-8 in NFC, so every offset is the same; an empty file, a NUL byte, control characters (a
binary file, or C1 controls: text decoded twice) or a file over the size limit is refused with a
located problem (`DataError`) that says what is wrong and where.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from pathlib import Path

from policykb.parse.lines import SourceLine
from policykb.problems import refuse

MAX_SOURCE_BYTES = 10 * 1024 * 1024
"""A whole coalition agreement is well under 1 MB of text; 10 MB leaves room and keeps memory bounded."""

PDF_MAGIC = b"%PDF-"
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def read_source(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> tuple[bytes, list[SourceLine]]:
    """The raw bytes of `path` and its lines; a PDF is read with its layout."""
    data = read_bounded(path, max_bytes)
    if is_pdf(data, path):
        from policykb.parse.pdf import read_pdf  # pdfplumber is slow to import

        return data, read_pdf(data, path)
    return data, text_lines(decode(data, path))


def is_pdf(data: bytes, path: Path) -> bool:
    """A PDF by its signature, or by its name (a damaged PDF is then reported as one)."""
    return data.startswith(PDF_MAGIC) or path.suffix.lower() == ".pdf"


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most `max_bytes` of them (else a `DataError`). Opened
    without blocking and checked on the open file, so a FIFO or a device cannot stall or flood
    the read, whatever it is swapped for."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise refuse(path, f"cannot read: {error.strerror}") from error
    with os.fdopen(handle, "rb") as stream:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            what = (
                "a FIFO"
                if stat.S_ISFIFO(mode)
                else "a device"
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a folder"
                if stat.S_ISDIR(mode)
                else "not a file"
            )
            raise refuse(path, f"{what}, not a regular file: give the source as a file")
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise refuse(
            path, f"over the limit of {max_bytes / 1_048_576:.0f} MB for one source (pass --max-mb to raise it)"
        )
    return data


def decode(data: bytes, path: Path | str = "<source>") -> str:
    """Bytes of a text source as one string with `\\n` line ends (form feeds kept)."""
    if not data.strip():
        raise refuse(path, "the file is empty or holds only whitespace: nothing to parse")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise refuse(
                path,
                f"not valid UTF-16 at byte {error.start} (it starts with a UTF-16 byte-order mark):"
                " save the text as UTF-8",
            ) from error
    else:
        nul = data.find(b"\x00")
        if nul >= 0:
            line = data[:nul].count(b"\n") + 1
            raise refuse(
                path,
                f"NUL byte at offset {nul}: this is not a text file (binary, or UTF-16 without a byte-order mark)",
                line,
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as utf8_error:
            if _UTF8_MULTIBYTE.search(data):
                # Valid UTF-8 elsewhere: reading the whole file as cp1252 would garble it silently.
                line = data[: utf8_error.start].count(b"\n") + 1
                raise refuse(
                    path,
                    f"byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start} is not UTF-8, "
                    "while the rest of the file is: fix that byte (mixed encodings)",
                    line,
                ) from utf8_error
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error:
                line = data[: error.start].count(b"\n") + 1
                raise refuse(
                    path,
                    f"byte 0x{data[error.start]:02x} at offset {error.start} is neither UTF-8 "
                    "nor cp1252: save the text as UTF-8",
                    line,
                ) from error
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise refuse(
            path, f"control character U+{ord(control.group()):04X}: this looks like a binary file, not text", line
        )
    if not text.strip():
        raise refuse(path, "the file holds only whitespace: nothing to parse")
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
