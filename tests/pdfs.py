"""Tiny PDFs for tests of layouts the LibreOffice fixtures do not have (a hostile header, a
rotated page, thousands of pages): real PDF files in the standard Helvetica fonts, read by the
real reader. `write_pdf(path, pages)`: each page a list of `Line`s, placed by their top edge in
points from the top of an A4 page, as pdfplumber measures them, each in one face (regular, bold,
italic or both).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

WIDTH, HEIGHT = 595, 842


@dataclass(frozen=True)
class Line:
    text: str
    top: float
    size: float = 11.0
    bold: bool = False
    x: float = 72.0
    italic: bool = False


def _escaped(text: str) -> bytes:
    return text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def write_pdf(path: Path, pages: list[list[Line]], rotate: int = 0) -> Path:
    """Write the pages as a PDF (each page `rotate`d by that many degrees, as a /Rotate entry)."""
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree (filled in last)
    fonts = {"F1": "Helvetica", "F2": "Helvetica-Bold", "F3": "Helvetica-Oblique", "F4": "Helvetica-BoldOblique"}
    font_ids = {}
    for name, base in fonts.items():
        objects.append(f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>".encode())
        font_ids[name] = len(objects)
    resources = "<< /Font << " + " ".join(f"/{name} {number} 0 R" for name, number in font_ids.items()) + " >> >>"
    kids = []
    for lines in pages:
        stream = b"".join(
            b"BT /%s %g Tf 1 0 0 1 %g %g Tm (%s) Tj ET\n"
            % (
                b"F%d" % (1 + line.bold + 2 * line.italic),
                line.size,
                line.x,
                HEIGHT - line.top - 0.8 * line.size,
                _escaped(line.text),
            )
            for line in lines
        )
        objects.append(b"<< /Length %d >>\nstream\n%sendstream" % (len(stream), stream))
        content = len(objects)
        rotation = f" /Rotate {rotate}" if rotate else ""
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}]{rotation} "
            f"/Resources {resources} /Contents {content} 0 R >>".encode()
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{kid} 0 R' for kid in kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
