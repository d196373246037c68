"""Dependency maps in a real browser (issue 7): the SVG opens in headless Chromium and the
links on its nodes resolve on the running service."""
import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path

import requests

from conftest import require_tool

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def chromium(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Headless Chromium in its own process group, which is killed whole afterwards
    (renderers and helpers included), also when it hangs."""
    exe = require_tool("chromium")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [exe, *FLAGS, f"--user-data-dir={profile}", *args]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            out, err = "", f"Chromium did not finish within {timeout} s"
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def chromium_screenshot(path: Path, url: str, size: str = "1280,1600", tries: int = 3) -> Path:
    """A screenshot by headless Chromium; a run that wrote nothing (it happens now and then
    on a loaded machine) is tried again, and the last one's stderr is shown if all fail."""
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    for _ in range(tries):
        done = chromium(f"--screenshot={path}", f"--window-size={size}", url)
        if path.exists() and path.stat().st_size > 0:
            return path
    raise AssertionError(f"Chromium wrote no screenshot of {url}: {done.stderr[-1000:]}")


def test_whole_map_opens_in_chromium_and_links_resolve(live_server):
    url = live_server.url + "/api/maps/components.svg"
    dom = chromium("--dump-dom", url).stdout
    assert "<svg" in dom, dom[:500]
    hrefs = set(re.findall(r'xlink:href="([^"]+)"', dom)) | set(re.findall(r'<a href="([^"]+)"', dom))
    components = {h for h in hrefs if "/id/component/" in h}
    assert len(components) >= 12, hrefs
    for href in sorted(components):
        r = requests.get(live_server.url + href if href.startswith("/") else href, timeout=10,
                         headers={"Accept": "text/html"})
        assert r.status_code == 200, (href, r.status_code)


def test_neighbourhood_map_screenshot(live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "map-nemlog-in.png"
    shot.unlink(missing_ok=True)
    chromium_screenshot(shot, live_server.url + "/api/maps/component/nemlog-in.svg", "1400,900")
    assert shot.exists() and shot.stat().st_size > 5_000


def test_impact_page_in_chromium(live_server):
    dom = chromium("--dump-dom", live_server.url + "/api/impact/nemlog-in?lang=en").stdout
    assert "is down" in dom and "<table" in dom
