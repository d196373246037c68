"""What a person sees, in a real Chromium driven by Selenium through Debian's chromedriver,
against `digikort serve` on 127.0.0.1: domain pages, labels instead of IRIs, Danish pages
without English UI words, tables that scroll instead of widening the page, and an
accessibility check with axe-core (npm, tests/package.json) on the main pages.

Screenshots of every domain page go to tests/artifacts/pages/ (git-ignored), the axe
figures to tests/artifacts/axe.json; both paths are printed (pytest -s, or -rA)."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, require, require_tool

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SHOTS = ARTIFACTS / "pages"
AXE_JS = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
         "--disable-dev-shm-usage", "--hide-scrollbars"]
WIDTH = 1280


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module. chromedriver runs in its own session (process group),
    so the whole tree (driver, browser, renderers) is killed at the end even on failure."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        require(False, "selenium is not installed (pip install '.[test]')")
    chromium = require_tool("chromium")
    driver_exe = require_tool("chromedriver")
    real = Path("/usr/lib/chromium/chromium")  # Debian's /usr/bin/chromium is a wrapper script
    options = Options()
    options.binary_location = str(real) if real.exists() else chromium
    profile = tempfile.mkdtemp(prefix="digikort-chromium-")
    for flag in FLAGS + [f"--user-data-dir={profile}", f"--window-size={WIDTH},1000"]:
        options.add_argument(flag)
    service = Service(executable_path=driver_exe, popen_kw={"start_new_session": True})
    driver = None
    try:
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(120)
        yield driver
    finally:
        try:
            if driver is not None:
                driver.quit()
        finally:
            proc = getattr(service, "process", None)
            if proc is not None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # anything the driver left behind
                except (ProcessLookupError, PermissionError):
                    pass
            shutil.rmtree(profile, ignore_errors=True)


def open_page(browser, url):
    browser.set_window_size(WIDTH, 1000)
    browser.get(url)
    return browser


def visible_text(browser) -> str:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.TAG_NAME, "body").text


def texts(browser, css: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, css)]


def screenshot(browser, name: str) -> Path:
    """A full-page screenshot at 1280 px wide."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return Math.max(document.documentElement.scrollHeight, 600)")
    browser.set_window_size(WIDTH, min(int(height) + 40, 8000))
    path = SHOTS / f"{name}.png"
    browser.save_screenshot(str(path))
    browser.set_window_size(WIDTH, 1000)
    return path


# ------------------------------------------------------------------ what a person sees
DOMAIN_PAGES = {
    "initiative-7.4": "/id/initiative/2016-2020/7.4",
    "component-nemlog-in": "/id/component/nemlog-in",
    "component-nemkonto": "/id/component/nemkonto",
    "strategy-2016-2020": "/id/strategy/2016-2020",
    "report-2017": "/id/report/strategy-2016-2020/2017",
    "agency-digitaliseringsstyrelsen": "/id/agency/digitaliseringsstyrelsen",
    "focus-area-7": "/id/strategy/2016-2020/focus-area/7",
}


def test_initiative_74_shows_its_2017_state_and_milestones_in_date_order(live_server, browser):
    open_page(browser, live_server.url + "/id/initiative/2016-2020/7.4?lang=en")
    timeline = texts(browser, "ol.timeline > li")
    assert any("2017" in entry and "Started" in entry for entry in timeline), timeline
    dates = [e.get_attribute("datetime") for e in browser.find_elements("css selector", "table.milestones time")]
    assert len(dates) >= 10, dates
    assert dates == sorted(dates)
    names = texts(browser, "table.milestones tbody td:nth-child(2)")
    assert all(n and not n.startswith("https://") for n in names)
    kinds = texts(browser, "table.milestones tbody td:nth-child(3)")
    assert "Contract signed" in kinds
    print("screenshot:", screenshot(browser, "initiative-7.4-en"))


def test_nemkonto_page_shows_its_owner(live_server, browser):
    open_page(browser, live_server.url + "/id/component/nemkonto?lang=da")
    owner = texts(browser, "#owner")[0]
    assert owner and owner != "ukendt"
    assert browser.find_element("css selector", "#owner a").get_attribute("href").startswith(live_server.url + "/id/")


def test_type_once_with_its_sources(live_server, browser):
    open_page(browser, live_server.url + "/id/component/nemlog-in?lang=en")
    types = texts(browser, "p.types")[0]
    assert types.count("Infrastructure component") == 1
    assert len(browser.find_elements("css selector", "p.types .badge")) >= 2


def test_no_named_query_page_shows_a_raw_iri(live_server, browser):
    import requests

    queries = requests.get(live_server.url + "/api/queries?format=json", timeout=30).json()["queries"]
    assert len(queries) >= 20
    for q in queries:
        for lang in ("da", "en"):
            open_page(browser, f"{live_server.url}/api/queries/{q['name']}?format=html&lang={lang}")
            text = visible_text(browser)
            assert "Traceback" not in text
            raw = [w for w in re.split(r"\s+", text) if w.startswith("https://w3id.org/")]
            assert not raw, (q["name"], lang, raw[:3])
            headers = texts(browser, "table.results thead th")
            if q.get("columns"):
                wanted = [q["columns"][v][lang] for v in q["columns"] if q["columns"][v].get(lang)]
                assert set(headers) <= set(wanted) | {h for h in headers if not h.startswith("?")}
                assert not any(h in q["columns"] and h != q["columns"][h][lang] for h in headers), headers


# Words of the English UI that must not appear on the Danish pages (in the page furniture:
# navigation, headings, table headers, labels, buttons, facts). Data in English (a label
# only given in English) is marked as a fallback and is not furniture.
ENGLISH_UI = ["architect", "auditor", "everyone", "Strategies", "Initiatives", "Components", "Agencies", "Queries", "Search", "Quality", "Ontology",
              "Statements", "Sources", "Links here", "Milestones", "Milestone", "Owner", "Depends on", "Dependents",
              "Status history", "Latest status", "Legend", "Named queries", "Filter", "Reset", "Name", "Description",
              "Parameters", "Audience", "Open in the SPARQL page", "What breaks", "Run", "Formats", "Home", "Period",
              "Parties", "Focus area", "Lead agency", "Partners", "Kind", "Date", "Component", "Path", "Role",
              "rows", "shown of", "Replaced by", "Replaces", "Status report", "Colour", "Concern", "Results",
              "Plans", "Leads", "Partner in", "Owns", "unknown", "no status", "critical", "All statements"]
FURNITURE = ("header.site, h2, thead th, th[scope=row] + td .src, summary, label, button, dt, p.count, p.legend, "
             "p.formats, table:not(.results) td:last-child")
# Phrases no data contains: looked for in the whole visible text of a Danish page.
ENGLISH_PHRASES = ["Status history", "Latest status", "Links here", "All statements", "Open in the SPARQL page",
                   "What breaks if", "Depends on", "Named queries", "Infrastructure components", "shown of",
                   "no status", "Search names", "Replaced by", "Lead agency", "is down"]
DANISH_PAGES = ["/", "/strategies", "/initiatives", "/components", "/agencies", "/search?q=MitID",
                *DOMAIN_PAGES.values(), "/api/queries", "/api/queries/component-owners?format=html",
                "/api/queries/initiative-status-history?format=html", "/api/impact/nemlog-in", "/query"]


def test_danish_pages_have_no_english_ui_words(live_server, browser):
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH_UI) + r")\b")
    for url in DANISH_PAGES:
        open_page(browser, live_server.url + url + ("&" if "?" in url else "?") + "lang=da")
        assert browser.find_element("css selector", "html").get_attribute("lang") == "da"
        furniture = " | ".join(texts(browser, FURNITURE))
        assert furniture, url
        found = pattern.findall(furniture)
        assert not found, (url, found)
        body = visible_text(browser)
        assert not [p for p in ENGLISH_PHRASES if p in body], url


def test_wide_tables_scroll_inside_a_1280_px_page(live_server, browser):
    for url in ("/api/queries/initiative-status-history?format=html&lang=da",
                "/api/queries/facts-and-sources?format=html&lang=en", "/id/strategy/2016-2020?lang=da",
                "/initiatives?lang=en"):
        open_page(browser, live_server.url + url)
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= WIDTH, (url, width)


def test_fallback_language_is_marked(live_server, browser):
    """7.4's results text exists in Danish only: the English page shows it, tagged "da"."""
    open_page(browser, live_server.url + "/id/initiative/2016-2020/7.4?lang=en")
    tags = texts(browser, "ol.timeline abbr.fallback")
    assert "da" in tags


def test_search_box_finds_a_component_from_any_page(live_server, browser):
    from selenium.webdriver.common.by import By

    open_page(browser, live_server.url + "/initiatives?lang=en")
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("MitID")
    box.submit()
    assert "/search" in browser.current_url
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "table.index a")]
    assert any(h.split("?")[0].endswith("/id/component/mitid") for h in links), links


def test_screenshots_of_every_domain_page(live_server, browser):
    paths = []
    for name, url in DOMAIN_PAGES.items():
        for lang in ("da", "en"):
            open_page(browser, f"{live_server.url}{url}?lang={lang}")
            assert browser.find_elements("css selector", "dl.facts"), (name, lang)
            paths.append(screenshot(browser, f"{name}-{lang}"))
    for name, url in {"initiatives": "/initiatives", "components": "/components", "strategies": "/strategies",
                      "agencies": "/agencies", "impact-nemlog-in": "/api/impact/nemlog-in",
                      "query-component-owners": "/api/queries/component-owners?format=html"}.items():
        open_page(browser, f"{live_server.url}{url}{'&' if '?' in url else '?'}lang=da")
        paths.append(screenshot(browser, name))
    assert all(p.stat().st_size > 20_000 for p in paths)
    print("screenshots:", SHOTS)


# ------------------------------------------------------------------ accessibility
AXE_PAGES = ["/", "/strategies", "/initiatives", "/components", "/agencies", "/search?q=NemID",
             *DOMAIN_PAGES.values(), "/api/queries", "/api/queries/component-owners?format=html",
             "/api/impact/nemlog-in", "/query"]
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
                                          targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))
  .catch(e => done({error: String(e)}));
"""


def test_no_serious_accessibility_violations_on_the_main_pages(live_server, browser):
    require(AXE_JS.exists(), f"{AXE_JS} missing: bash .ci/setup installs axe-core (npm, tests/package.json)")
    axe = AXE_JS.read_text(encoding="utf-8")
    figures, serious = {}, {}
    for url in AXE_PAGES:
        for lang in ("da", "en"):
            full = f"{live_server.url}{url}{'&' if '?' in url else '?'}lang={lang}"
            open_page(browser, full)
            if url == "/query":  # the editor draws its tabs after load: check what a person gets
                from selenium.webdriver.support.ui import WebDriverWait

                WebDriverWait(browser, 30).until(
                    lambda b: b.execute_script("return document.querySelectorAll('[role=tab]').length") >= 20)
            browser.execute_script(axe)
            violations = browser.execute_async_script(AXE_RUN)
            assert not (isinstance(violations, dict) and "error" in violations), violations
            key = f"{url} ({lang})"
            figures[key] = {impact: sum(1 for v in violations if v["impact"] == impact)
                            for impact in ("critical", "serious", "moderate", "minor")}
            figures[key]["rules"] = sorted({v["id"] for v in violations})
            bad = [v for v in violations if v["impact"] in ("serious", "critical")]
            if bad:
                serious[key] = bad
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe.json").write_text(json.dumps({"pages": figures, "serious_or_critical": serious}, indent=1))
    print("axe-core figures:", ARTIFACTS / "axe.json")
    for key, f in figures.items():
        print(f"  {key}: critical {f['critical']}, serious {f['serious']}, moderate {f['moderate']}, "
              f"minor {f['minor']} {f['rules']}")
    assert not serious, json.dumps(serious, indent=1)[:3000]
