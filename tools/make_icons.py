"""Render Haven's logo (haven/core/static/haven/icons/logo.svg) to the PNG icons an installed
app and old browsers need, and to favicon.ico (a PNG inside an ICO). Run by hand after changing
the logo: `.venv/bin/python tools/make_icons.py`. Needs Debian's chromium and Playwright."""

import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "haven/core/static/haven/icons"
SIZES = {
    "icon-192.png": 192,
    "icon-512.png": 512,
    "apple-touch-icon.png": 180,
    "favicon-32.png": 32,
}
# A maskable icon keeps its mark inside the safe circle (80%): the logo on a full-bleed square.
MASKABLE = {"icon-maskable-512.png": 512}


def render(page, svg: str, size: int, *, padding: float = 0.0) -> bytes:
    inner = size * (1 - 2 * padding)
    html = (
        f"<html><body style='margin:0;background:#2f5f6f;width:{size}px;height:{size}px;"
        f"display:grid;place-items:center'><img src='data:image/svg+xml;utf8,{svg}' "
        f"width='{inner}' height='{inner}'></body></html>"
    )
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(html)
    return page.screenshot(omit_background=padding == 0.0)


def ico_from_png(png: bytes, size: int) -> bytes:
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def main() -> None:
    svg = (ICONS / "logo.svg").read_text().replace("#", "%23").replace("\n", "")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        for name, size in SIZES.items():
            (ICONS / name).write_bytes(render(page, svg, size))
        for name, size in MASKABLE.items():
            (ICONS / name).write_bytes(render(page, svg, size, padding=0.1))
        browser.close()
    png = (ICONS / "favicon-32.png").read_bytes()
    (ICONS / "favicon.ico").write_bytes(ico_from_png(png, 32))


if __name__ == "__main__":
    main()
