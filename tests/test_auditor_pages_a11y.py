"""Accessibility (axe-core in Chromium) of the auditors' and portals' pages: the validation
report, the audit, the catalogue and its profile listing, and the ontology documentation,
in Danish and English. The browser fixture stops chromedriver's whole process group."""
import pytest

from conftest import require
from test_pages_browser import AXE_JS, AXE_RUN, browser, open_page, screenshot  # noqa: F401  (fixture)

PAGES = ["/validate", "/audit", "/catalog", "/catalog?_profile=alt", "/def/"]


@pytest.mark.parametrize("url", PAGES)
def test_no_serious_accessibility_violations(live_server, browser, url):  # noqa: F811
    require(AXE_JS.exists(), f"{AXE_JS} missing: bash .ci/setup installs axe-core (npm, tests/package.json)")
    axe = AXE_JS.read_text(encoding="utf-8")
    for lang in ("da", "en"):
        open_page(browser, f"{live_server.url}{url}{'&' if '?' in url else '?'}lang={lang}")
        assert browser.find_element("css selector", "html").get_attribute("lang") == lang
        browser.execute_script(axe)
        violations = browser.execute_async_script(AXE_RUN)
        assert not (isinstance(violations, dict) and "error" in violations), violations
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not serious, (url, lang, serious)
    name = url.strip("/").replace("/", "-").replace("?_profile=", "-") or "home"
    assert screenshot(browser, f"auditor-{name}-{lang}").stat().st_size > 10_000
