"""Flat illustrations and one-page PDFs drawn in code: the demo package's images and documents
(demo/content/) were made with them, and tests make their own with them."""

import io
import random

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw

PALETTES = {
    "home": ((226, 239, 247), (0, 80, 158)),
    "hospital": ((240, 244, 248), (176, 0, 32)),
    "phone": ((236, 246, 240), (0, 110, 70)),
    "people": ((250, 243, 232), (150, 80, 0)),
    "chart": ((238, 238, 250), (60, 60, 150)),
    "pills": ((248, 238, 244), (140, 30, 100)),
}


def illustration_png(motif, seed, size=(1200, 800)):
    """A simple flat illustration of a motif, as PNG bytes; the same seed gives the same image."""
    rng = random.Random(f"{motif}-{seed}")
    background, ink = PALETTES.get(motif, PALETTES["chart"])
    width, height = size
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        radius = rng.randint(60, 220)
        x, y = rng.randint(0, width), rng.randint(0, height)
        tint = tuple(min(255, c + rng.randint(5, 25)) for c in background)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=tint)
    cx, cy = width // 2, height // 2 + 40
    if motif == "home":
        draw.rectangle((cx - 220, cy - 120, cx + 220, cy + 200), fill=ink)
        draw.polygon([(cx - 280, cy - 110), (cx, cy - 330), (cx + 280, cy - 110)], fill=ink)
        draw.rectangle((cx - 50, cy + 40, cx + 50, cy + 200), fill=background)
    elif motif == "hospital":
        draw.rectangle((cx - 300, cy - 220, cx + 300, cy + 200), fill=(255, 255, 255), outline=ink, width=12)
        draw.rectangle((cx - 40, cy - 160, cx + 40, cy + 80), fill=ink)
        draw.rectangle((cx - 120, cy - 80, cx + 120, cy), fill=ink)
    elif motif == "phone":
        draw.rounded_rectangle((cx - 140, cy - 300, cx + 140, cy + 220), radius=40, fill=ink)
        draw.rectangle((cx - 110, cy - 250, cx + 110, cy + 150), fill=(255, 255, 255))
        for row in range(4):
            draw.rectangle((cx - 80, cy - 220 + row * 90, cx + 80, cy - 170 + row * 90), fill=background)
    elif motif == "people":
        for offset in (-260, 0, 260):
            draw.ellipse((cx + offset - 70, cy - 260, cx + offset + 70, cy - 120), fill=ink)
            draw.rounded_rectangle(
                (cx + offset - 110, cy - 100, cx + offset + 110, cy + 200), radius=60, fill=ink
            )
    elif motif == "pills":
        for index in range(5):
            x = cx - 400 + index * 200
            draw.rounded_rectangle((x - 60, cy - 150, x + 60, cy + 150), radius=60, fill=ink)
            draw.rectangle((x - 60, cy, x + 60, cy + 4), fill=background)
    else:  # chart
        for index in range(6):
            bar = rng.randint(120, 420)
            x = cx - 390 + index * 140
            draw.rectangle((x, cy + 200 - bar, x + 90, cy + 200), fill=ink)
        draw.line((cx - 420, cy + 200, cx + 440, cy + 200), fill=ink, width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def text_pdf(title, text):
    """A one-page PDF with a title and lines of text (Helvetica, WinAnsi covers æ, ø and å)."""

    def escape(line):
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    lines = [title, ""] + [line for paragraph in text.splitlines() for line in _wrap(paragraph, 90)]
    ops = ["BT", "/F1 16 Tf", "56 780 Td", "18 TL"]
    for index, line in enumerate(lines[:40]):
        if index == 1:
            ops.append("/F1 11 Tf")
        ops.append(f"({escape(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _wrap(paragraph, width):
    words, line, lines = paragraph.split(), "", []
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines


def image_file(data, name):
    """Wrap image bytes so that Django's ImageField records the width and height on assignment."""
    return ImageFile(io.BytesIO(data), name=name)
