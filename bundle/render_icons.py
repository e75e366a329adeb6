"""Renders Spanwise's icon from resources/icons/spanwise.svg: the PNG sizes a desktop's icon
theme asks for (committed, shipped in the wheel and the bundle), and the Windows .ico and
macOS .icns files the PyInstaller spec builds from those PNGs.

    .venv/bin/python -m bundle.render_icons   # re-render the PNGs after editing the SVG
    .venv/bin/python -m bundle.render_icons resources/screenshots/icon.png   # and the README's

Run it with the project's venv (Spanwise installed editable there): the icons are written
where `desktop.identity` finds them, so a checkout's resources/icons/.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.identity import APP_NAME, ICON_SIZES, icon_png, icon_svg

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

ICO_SIZES = (16, 24, 32, 48, 64, 256)  # 256 is the largest an .ico holds
# macOS icon types holding PNG data, by the pixel size they hold (@2x types share sizes)
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def render_image(svg: Path, size: int) -> QImage:
    """The SVG drawn on a transparent square of `size` pixels (needs a QGuiApplication)."""
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (Windows Vista and later read them)."""
    sizes = [s for s in ICO_SIZES if s in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        edge = size % 256  # 0 means 256
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images, one entry per icon type."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for kind, size in ICNS_TYPES
        if size in pngs
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def committed_pngs() -> dict[int, bytes]:
    return {size: icon_png(size).read_bytes() for size in ICON_SIZES}


def write_platform_icons(target: Path) -> tuple[Path, Path]:
    """spanwise.ico and spanwise.icns in `target`, from the committed PNGs (no Qt needed)."""
    target.mkdir(parents=True, exist_ok=True)
    pngs = committed_pngs()
    ico, icns = target / "spanwise.ico", target / "spanwise.icns"
    ico.write_bytes(ico_bytes(pngs))
    icns.write_bytes(icns_bytes(pngs))
    return ico, icns


def launcher_picture(target: Path) -> None:
    """The README's picture: the installed PNGs as a launcher shows them, large to small."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    shown = (128, 64, 48, 32, 24, 16)
    width = 40 + sum(shown) + 36 * (len(shown) - 1) + 40
    image = QImage(width, 216, QImage.Format.Format_RGB32)
    image.fill(QColor("#eef1f5"))
    painter = QPainter(image)
    font = QFont(painter.font())
    x, baseline = 40, 24 + 128
    for size in shown:
        painter.drawImage(x, baseline - size, QImage(str(icon_png(size))))
        font.setPointSizeF(13 if size == 128 else 9)
        font.setBold(size == 128)
        painter.setFont(font)
        painter.setPen(QColor("#1f2430" if size == 128 else "#5b6475"))
        caption = APP_NAME if size == 128 else f"{size} px"
        box = QRect(x - 30, baseline + 10, size + 60, 40)
        painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, caption)
        x += size + 36
    painter.end()
    if not image.save(str(target)):
        raise SystemExit(f"{target}: cannot write")


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv[:1])
    for size in ICON_SIZES:
        if not render_image(icon_svg(), size).save(str(icon_png(size))):
            raise SystemExit(f"{icon_png(size)}: cannot write")
        print(icon_png(size))
    if len(sys.argv) > 1:
        launcher_picture(Path(sys.argv[1]))
        print(sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
