"""`policykb preview`: the built site over HTTP on 127.0.0.1, its address printed, until stopped
(the browser tests serve every site with the same `SiteServer`)."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import refused_on_a_busy_port

POLICYKB = str(Path(sys.executable).parent / "policykb")


def test_preview_serves_the_site_and_says_where(root: Path) -> None:
    site = root / "build" / "site"
    (site / "maatregel" / "m-1").mkdir(parents=True)
    (site / "index.html").write_text("<h1>Maatregelen</h1>", encoding="utf-8")
    (site / "maatregel" / "m-1" / "index.html").write_text("<h1>Eén maatregel</h1>", encoding="utf-8")
    (site / "404.html").write_text("<h1>Pagina niet gevonden</h1>", encoding="utf-8")
    server = subprocess.Popen(
        [POLICYKB, "preview", "--root", str(root), "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("De site: http://127.0.0.1:"), line
        url = line.split()[2]
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            assert "Maatregelen" in response.read().decode("utf-8")
        with urllib.request.urlopen(url + "maatregel/m-1/", timeout=10) as response:  # noqa: S310
            assert "Eén maatregel" in response.read().decode("utf-8"), "a folder link opens its page"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "bestaat-niet/", timeout=10)  # noqa: S310
        assert missing.value.code == 404 and "Pagina niet gevonden" in missing.value.read().decode("utf-8")
        (site / ".policykb-cache").mkdir()
        (site / ".policykb-cache" / "pages.json").write_text("{}", encoding="utf-8")
        with pytest.raises(urllib.error.HTTPError) as hidden:
            urllib.request.urlopen(url + ".policykb-cache/pages.json", timeout=10)  # noqa: S310
        assert hidden.value.code == 404, "policykb's own files are not the site's"
        with pytest.raises(urllib.error.HTTPError) as encoded:
            urllib.request.urlopen(url + "%2Epolicykb-cache/pages.json", timeout=10)  # noqa: S310
        assert encoded.value.code == 404
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=10) == 0


def test_no_site_and_a_busy_port_are_said(root: Path) -> None:
    missing = subprocess.run([POLICYKB, "preview", "--root", str(root)], capture_output=True, text=True, timeout=30)
    assert missing.returncode == 2 and "run `policykb site` first" in missing.stderr
    (root / "build" / "site").mkdir(parents=True)
    (root / "build" / "site" / "index.html").write_text("x", encoding="utf-8")
    refused_on_a_busy_port("preview", "--root", str(root))
