"""The validation report as an auditor sees it in headless Chromium, on a server that serves
the shipped graph plus a few broken statements: violations come first, grouped by rule,
named by labels, in Danish on the Danish page. Screenshots go to tests/artifacts/.

The server and each Chromium run are started in their own process group and the whole group
is stopped afterwards, even when an assertion fails."""
import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import digikort_cmd, free_port, require_tool, run_cli, wait_for

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
D = "https://w3id.org/digikort/"
BROKEN = f"""@prefix dk: <{D}def/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
GRAPH <{D}graph/statusredegoerelse-2017> {{
  <{D}id/dependency/nemkonto--cpr> dk:dependencyKind <{D}def/code/dependency-kind/critical>,
      <{D}def/code/dependency-kind/operational> .
  <{D}id/milestone/mitid-contract> time:inXSDDate "2017-02-30"^^xsd:date .
}}
"""


def _stop_group(proc: subprocess.Popen):
    """TERM the process group, give it 10 s, then KILL whatever is left of it."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def browse(*args: str, timeout: float = 60) -> str:
    exe = require_tool("chromium")
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={profile}", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
            return out
        finally:
            _stop_group(proc)


@pytest.fixture(scope="module")
def broken_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    shipped = folder / "shipped.trig"
    assert run_cli("export", "--format", "trig", "-o", str(shipped)).returncode == 0
    broken = folder / "broken.trig"
    broken.write_text(BROKEN)
    port = free_port()
    proc = subprocess.Popen(digikort_cmd() + ["serve", "--host", "127.0.0.1", "--port", str(port),
                                              "--data", str(shipped), "--data", str(broken)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", proc=proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop_group(proc)


def test_validation_page_lists_violations_first(broken_server):
    ARTIFACTS.mkdir(exist_ok=True)
    url = broken_server + "/validate?lang=en"
    dom = browse("--dump-dom", url)
    assert 'id="summary"' in dom, dom[:500]
    sections = re.findall(r'<section class="rule severity-(\w+)"', dom)
    assert sections and sections[0] == "violation", sections
    assert sections == sorted(sections, key=["violation", "warning", "info"].index)
    first = dom.index('class="rule severity-violation"')
    assert dom.index('class="rule severity-warning"') > first
    text = re.sub(r"<[^>]+>", " ", dom)
    assert "is not a valid xsd:date (ill-formed value)" in text
    assert "at most 1 allowed" in text and "critical or operational" in text  # the rule's title, the breach's message
    assert "NemKonto" in text  # a label, not the IRI
    shot = ARTIFACTS / "validation-report.png"
    browse(f"--screenshot={shot}", "--window-size=1280,1600", url)
    assert shot.exists() and shot.stat().st_size > 10_000


def test_danish_validation_page_in_the_browser(broken_server):
    dom = browse("--dump-dom", broken_server + "/validate?lang=da")
    text = re.sub(r"<[^>]+>", " ", dom[dom.index("<h1"):])
    assert "Overtrædelser" in text and "overholder ikke reglerne" in text
    for english in ("Warning", "Violation", "conforms", "Resource"):
        assert english not in text, english
    assert "ugyldig værdi" in text


def test_audit_page_in_the_browser(broken_server):
    ARTIFACTS.mkdir(exist_ok=True)
    url = broken_server + "/audit?lang=en"
    dom = browse("--dump-dom", url)
    assert "Initiatives with a status in every report" in dom and "%)" in dom
    browse(f"--screenshot={ARTIFACTS / 'audit.png'}", "--window-size=1280,1600", url)
