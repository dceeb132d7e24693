"""The HTML report and the Mermaid graph, opened in a real headless Chromium.

Needs Debian's ``chromium`` (/usr/bin/chromium) and the ``playwright`` Python
package, which drives that browser (``playwright install`` is never run: no
browser is downloaded). The Mermaid test also installs the ``mermaid`` npm
package once into pytest's cache folder. Each test is skipped, saying why, when
what it needs is missing. Set MLPATH_SCREENSHOTS=DIR to keep the screenshots.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MERMAID_VERSION = "11"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


class Visit:
    """A page opened in the browser, with everything it logged and requested."""

    def __init__(self, browser: Any, url: str, width: int, height: int) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url, wait_until="load")


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) scanlines of a PNG: enough to tell a blank image."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.fixture
def report_page(cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    cli("plan", "--hours", "10", today="2026-11-24")
    cli("done", "vectors", "--hours", "3", today="2026-11-26")
    cli("done", "calculus", today="2026-12-02")
    cli("log", "probability", "1", today="2026-12-03")
    out = tmp_path / "plan.html"
    r = cli("export", "--format", "html", "-o", str(out), today="2026-12-03")
    assert r.exit_code == 0, r.output
    return out


def test_html_report_loads_offline_without_errors_and_shows_the_plan(
    browser, report_page: Path
) -> None:  # type: ignore[no-untyped-def]
    url = report_page.as_uri()
    visit = Visit(browser, url, 1280, 900)
    page = visit.page
    assert visit.requests == [url]  # the page itself, nothing else
    assert visit.errors == [] and [m for m in visit.console if m[0] in ("error", "warning")] == []
    assert page.title() == "Study plan · Tiny ML"
    assert page.locator("h1").inner_text() == "Study plan · Tiny ML"
    weeks = page.locator("article.week")
    assert weeks.count() == 4
    assert "Week 2 · this week" in page.locator("article.week.now").inner_text()
    done = page.locator("li.done .t").all_inner_texts()
    assert [t.split()[0] for t in done] == ["Vectors", "Calculus"]
    assert (
        page.locator("li.todo").count()
        == page.locator("li").count() - 2 - page.locator(".res li").count()
    )
    phases = page.locator(".phase").all_inner_texts()
    assert len(phases) == 3 and "2/3 topics" in phases[0]
    assert (
        page.locator("svg polyline.planned").count() == 1
        and page.locator("svg polyline.actual").count() == 1
    )
    chart = page.locator("svg").bounding_box()
    assert chart and chart["width"] > 300 and chart["height"] > 100
    links = page.locator(".res a").evaluate_all("links => links.map(a => a.href)")
    assert "https://example.org/deploy" in links and len(links) == 8
    page.close()


def test_html_report_screenshots_on_a_phone_and_a_desktop(
    browser, report_page: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    keep = Path(os.environ.get("MLPATH_SCREENSHOTS") or tmp_path)
    keep.mkdir(parents=True, exist_ok=True)
    for name, (width, height) in {"phone": (390, 844), "desktop": (1280, 900)}.items():
        visit = Visit(browser, report_page.as_uri(), width, height)
        page = visit.page
        # fluid layout: nothing wider than the screen, so no sideways scrolling on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot = keep / f"report-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        w, h, raw = png_pixels(shot)
        assert w == width and h >= height
        assert len(set(raw)) > 32, f"{shot} looks blank"
        page.close()


def test_html_report_shows_hostile_curriculum_text_as_text(
    browser, cli, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.conftest import tiny_document

    doc = tiny_document()
    doc["topics"][0]["title"] = "<img src=x onerror=alert(1)>Vectors"
    doc["topics"][0]["resources"][0]["url"] = "javascript:alert(1)"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc))
    monkeypatch.setenv("MLPATH_CURRICULUM", str(path))
    cli("plan", "--hours", "10")
    out = tmp_path / "hostile.html"
    cli("export", "--format", "html", "-o", str(out))
    visit = Visit(browser, out.as_uri(), 800, 600)
    assert visit.page.locator("img").count() == 0 and visit.errors == []
    assert visit.requests == [out.as_uri()]
    assert (
        "<img src=x onerror=alert(1)>Vectors"
        in visit.page.locator("article.week").first.inner_text()
    )
    assert visit.page.locator('a[href^="javascript"]').count() == 0
    visit.page.close()


# ----------------------------------------------------------------------------- mermaid


@pytest.fixture(scope="module")
def mermaid_js(request: pytest.FixtureRequest) -> Path:
    """mermaid.min.js from the npm registry, installed once into pytest's cache folder."""
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    folder = (
        Path(cache.mkdir("mermaid-npm")) if cache else Path(tempfile.gettempdir(), "mlpath-mermaid")
    )
    script = folder / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip(
                "npm is not installed: cannot fetch the mermaid package to validate Mermaid output"
            )
        done = subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                "--prefix",
                str(folder),
                f"mermaid@{MERMAID_VERSION}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or not script.exists():
            pytest.skip(f"could not install the mermaid npm package: {done.stderr.strip()[-300:]}")
    return script


def mermaid_render(browser: Any, script: Path, source: str) -> str:
    """Parse and render Mermaid source with the real Mermaid library; return the SVG (or raise)."""
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(script))
        return str(
            page.evaluate(
                """async (text) => {
                mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
                await mermaid.parse(text);
                const {svg} = await mermaid.render('graph', text);
                return svg;
            }""",
                source,
            )
        )
    finally:
        page.close()


def test_mermaid_graph_parses_and_renders_with_mermaid(browser, mermaid_js: Path, cli) -> None:  # type: ignore[no-untyped-def]
    cli("plan", "--hours", "10")
    cli("done", "vectors")
    source = cli("graph", "--format", "mermaid").stdout
    svg = mermaid_render(browser, mermaid_js, source)
    assert (
        svg.startswith("<svg")
        and "Vectors ✓" in svg
        and "Deploy" in svg
        and "Machine learning" in svg
    )
    with pytest.raises(Exception, match="Parse error"):  # the check can fail
        mermaid_render(browser, mermaid_js, source.replace("-->", "-=>"))


def test_mermaid_labels_with_odd_characters_render(browser, mermaid_js: Path) -> None:  # type: ignore[no-untyped-def]
    from mlpath.domain.curriculum import from_document
    from mlpath.export.graph import render
    from tests.conftest import tiny_document

    doc = tiny_document()
    doc["topics"][0]["title"] = 'Say "hi" #1 <b>now</b> (end) [x]'
    source = render(from_document(doc), "mermaid", track="pytorch", goals=["regression"])
    svg = mermaid_render(browser, mermaid_js, source)
    assert "Say" in svg and "<b>now</b>" not in svg
