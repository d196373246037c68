"""Pages as a person sees them, in a real headless Chromium: from the home page to a
component and on to an initiative, with screenshots saved under tests/artifacts/."""
import re
import urllib.parse

from test_maps_browser import ARTIFACTS, chromium, chromium_screenshot


def dom(url):
    out = chromium("--dump-dom", url).stdout
    assert "<html" in out, out[:300]
    return out


def hrefs(html):
    return re.findall(r'href="([^"]+)"', html)


def test_home_to_component_to_initiative(live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    home = dom(live_server.url + "/")
    assert "Digikort" in home and "/sparql" in home and "/catalog" in home and "/validate" in home
    components_link = next(h for h in hrefs(home) if h.startswith("/components"))
    components = dom(urllib.parse.urljoin(live_server.url, components_link))
    nemid_link = next(h for h in hrefs(components) if h.startswith("/id/component/nemid"))
    nemid_url = urllib.parse.urljoin(live_server.url, nemid_link)
    nemid = dom(nemid_url)
    assert "<h1>NemID</h1>" in nemid and "application/ld+json" in nemid
    chromium_screenshot(ARTIFACTS / "component-nemid.png", nemid_url)
    initiative_link = next(h for h in hrefs(nemid) if "/id/initiative/2016-2020/" in h)
    initiative_url = urllib.parse.urljoin(live_server.url, initiative_link)
    initiative = dom(initiative_url)
    assert "2016-2020" in initiative and ("Statusredegørelse 2017" in initiative or "2017 status report" in initiative)
    shot = ARTIFACTS / "initiative.png"
    chromium_screenshot(shot, initiative_url)
    assert shot.exists() and shot.stat().st_size > 10_000


def test_language_switch_in_the_browser(live_server):
    da = dom(live_server.url + "/id/component/mitid?lang=da")
    en = dom(live_server.url + "/id/component/mitid?lang=en")
    assert "afløser" in da and "replaces" in en
    assert re.search(r'class="lang" href="/id/component/mitid\?lang=en"', da)


def test_query_page_runs_yasgui_offline_with_named_query_tabs(live_server):
    """The bundled editor starts in the browser (no network) and shows a tab per named query."""
    out = chromium("--virtual-time-budget=5000", "--dump-dom", live_server.url + "/query").stdout
    assert out.count('role="tab"') >= 20
    assert "Direct dependencies of a component" in out
