"""Pages for people, through the app (no browser): one base template, both languages,
domain views, one value per source, labels instead of IRIs, index pages, search, maps.
What a person sees in a real browser is in test_pages_browser.py."""
import json
import re

import pytest

W3ID = "https://w3id.org/digikort/"


def text_of(html: str) -> str:
    """The visible text of a page: no tags, scripts, styles or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def page(client, url):
    r = client.get(url, headers={"Accept": "text/html"})
    assert r.status_code == 200, (url, r.status_code)
    return r.get_data(as_text=True)


HTML_PAGES = ["/", "/strategies", "/initiatives", "/components", "/agencies", "/search?q=NemID",
              "/id/initiative/2016-2020/7.4", "/id/component/nemlog-in", "/id/strategy/2016-2020",
              "/id/report/strategy-2016-2020/2017", "/id/agency/digitaliseringsstyrelsen",
              "/api/queries", "/api/queries/component-owners?format=html", "/api/impact/nemlog-in", "/query",
              "/catalog?format=html", "/dumps/", "/def/", "/validate?format=html", "/audit"]


@pytest.mark.parametrize("url", HTML_PAGES)
def test_every_page_has_the_one_navigation(client, url):
    html = page(client, url)
    assert html.count('<header class="site">') == 1
    nav = html[html.index('<header class="site">'):html.index("</header>")]
    for path in ("/strategies", "/initiatives", "/components", "/agencies", "/api/queries", "/query", "/search"):
        assert path in nav, (url, path)
    assert 'href="/static/digikort.css"' in html


def test_only_one_base_template_ships():
    from pathlib import Path

    import digikort

    templates = Path(digikort.__file__).parent / "templates"
    bases = sorted(p.relative_to(templates).as_posix() for p in templates.rglob("*base*.html"))
    assert bases == ["base.html"]
    for t in templates.rglob("*.html"):
        text = t.read_text()
        if t.name not in ("base.html", "macros.html") and "{% macro" not in text.split("\n", 1)[0] \
                and not t.parent.name == "views" and not t.name.startswith("_"):
            assert '{% extends "base.html" %}' in text, t


def test_language_by_parameter_and_accept_language(client):
    assert '<html lang="da">' in page(client, "/initiatives")
    assert '<html lang="en">' in page(client, "/initiatives?lang=en")
    r = client.get("/initiatives", headers={"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in r.get_data(as_text=True)
    # the switch keeps the page's other parameters
    html = page(client, "/components?kind=x&lang=da")
    assert 'href="/components?kind=x&amp;lang=en"' in html


def test_every_ui_string_has_both_languages():
    from digikort.web.i18n import TEXTS

    for key, (da, en) in TEXTS.items():
        assert da.strip() and en.strip(), key


def test_initiative_view(client):
    html = page(client, "/id/initiative/2016-2020/7.4?lang=en")
    text = text_of(html)
    assert "Status history" in text and "2017 status report" in text
    assert "Started" in text  # its 2017 state
    dates = re.findall(r'<time datetime="([^"]+)"', html[html.index('id="milestones"'):])
    assert len(dates) >= 10 and dates == sorted(dates)
    assert "Danish Agency for Digitisation" in text  # lead agency by name
    assert '<details class="statements">' in html  # the generic table, folded below


def test_component_view_owner_dependencies_succession(client):
    text = text_of(page(client, "/id/component/nemid?lang=en"))
    assert "Replaced by" in text and "MitID" in text
    assert "Depends on" in text and "Dependents" in text
    mitid = text_of(page(client, "/id/component/mitid?lang=en"))
    assert "Replaces" in mitid and "NemID" in mitid
    nemkonto = page(client, "/id/component/nemkonto?lang=da")
    owner = text_of(nemkonto[nemkonto.index('id="owner"'):nemkonto.index("</dd>", nemkonto.index('id="owner"'))])
    assert "Digitaliseringsstyrelsen" in owner


def test_strategy_view_has_a_colour_coded_matrix(client):
    html = page(client, "/id/strategy/2016-2020?lang=en")
    matrix = html[html.index('class="matrix"'):]
    assert matrix.count("<tr>") >= 30
    assert re.search(r'class="status (green|yellow|red|plain)"', matrix)
    assert "2016" in text_of(html) and "2020" in text_of(html)


def test_report_and_agency_views(client):
    report = page(client, "/id/report/strategy-2016-2020/2017?lang=en")
    assert 'class="status-table"' in report and report.count("<tr>") >= 30
    agency = text_of(page(client, "/id/agency/digitaliseringsstyrelsen?lang=en"))
    assert "Leads" in agency and "NemLog-in" in agency


def test_focus_area_view_lists_its_initiatives_in_order(client):
    html = page(client, "/id/strategy/2016-2020/focus-area/7?lang=en")
    numbers = re.findall(r"<tr><td>(7\.\d+)</td>", html)
    assert numbers[:4] == ["7.1", "7.2", "7.3", "7.4"]
    assert "Digital Strategy 2016-2020" in text_of(html)


def test_one_value_many_sources(client):
    html = page(client, "/id/component/nemlog-in?lang=en")
    types = html[html.index('<p class="types">'):html.index("</p>", html.index('<p class="types">'))]
    assert text_of(types).count("Infrastructure component") == 1
    assert types.count('class="badge"') >= 2  # several documents state the type
    table = html[html.index('<table class="props">'):]
    table = table[:table.index("</table>")]
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        values = re.findall(r"<div>(.*?)<span class=\"badges\">", row, flags=re.S)
        assert len(values) == len(set(values)), row[:200]


def test_named_query_page_labels_not_iris(client):
    html = page(client, "/api/queries/component-owners?format=html&lang=da")
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html)
    assert [text_of(h).strip() for h in headers][:2] == ["Komponent", "Navn"]
    assert W3ID not in text_of(html)
    assert "Digitaliseringsstyrelsen" in text_of(html)


def test_fallback_marked_only_when_the_page_language_is_missing(client):
    """Titles and parameter descriptions exist in both languages: no fallback tag; 7.4's
    results text exists in Danish only: tagged "da" on the English page."""
    for lang in ("da", "en"):
        html = page(client, f"/api/queries/outage-impact?format=html&lang={lang}")
        assert 'class="fallback"' not in html[html.index("<main"):], lang
    assert re.search(r'<span lang="da">[^<]+</span> <abbr class="fallback"[^>]*>da</abbr>',
                     page(client, "/id/initiative/2016-2020/7.4?lang=en"))


def test_impact_page_paths_as_labels_and_roles_translated(client):
    html = page(client, "/api/impact/nemlog-in?lang=da")
    text = text_of(html)
    assert W3ID not in text and "leads an affected initiative" not in text
    assert "ansvarlig for en ramt komponent" in text or "leder et ramt initiativ" in text
    paths = re.findall(r'<td class="path">(.*?)</td>', html, flags=re.S)
    assert paths and all("NemLog-in" in text_of(p) for p in paths)


def test_strategies_sorted_by_period(client):
    data = client.get("/strategies?format=json").get_json()
    starts = [i["start"] for i in data["items"] if i["start"]]
    assert len(starts) >= 5 and starts == sorted(starts)
    assert data["count"] == data["total"]


def test_index_filters_and_counts(client):
    everything = client.get("/components?format=json").get_json()
    owner = next(i["owners"][0] for i in everything["items"] if i["owners"])
    only = client.get("/components", query_string={"owner": owner, "format": "json"}).get_json()
    assert 0 < only["count"] < everything["count"] and all(owner in i["owners"] for i in only["items"])
    html = page(client, "/initiatives?lang=en")
    assert re.search(r'<option value="[^"]+">[^<]+ \(\d+\)</option>', html)  # facets with counts
    started = client.get("/initiatives?format=json").get_json()
    assert all("latest" in i and "leads" in i for i in started["items"])


def test_search_in_both_languages(client):
    da = client.get("/search?q=sammenhængende&format=json").get_json()  # a Danish word
    en = client.get("/search?q=single-signon&format=json").get_json()  # in an English description
    assert da["count"] >= 1
    assert "https://w3id.org/digikort/id/component/nemlog-in" in [h["iri"] for h in en["items"]]
    assert any(h["kind"] == "components" for h in client.get("/search?q=MitID&format=json").get_json()["items"])
    short = page(client, "/search?q=x&lang=en")
    assert "at least two characters" in short


def test_view_sparql_lives_in_rq_files():
    from pathlib import Path

    import digikort.views
    from digikort.web import pages

    folder = Path(digikort.views.__file__).parent / "sparql"
    assert len(list(folder.glob("*.rq"))) >= 10
    source = Path(pages.__file__).read_text()
    assert "SELECT" not in source and "PREFIX" not in source


def test_map_has_legend_translated_labels_and_succession(client):
    da = client.get("/api/maps/components.dot?lang=da").get_data(as_text=True)
    assert "Signaturforklaring" in da and 'label="afløses af"' in da
    assert re.search(r'"mitid" -> "nemid" \[dir=back, color="#1f6fb2"', da)  # NemID replaced by MitID
    en = client.get("/api/maps/components.dot?lang=en").get_data(as_text=True)
    assert "Legend" in en and 'label="replaced by"' in en
    mmd = client.get("/api/maps/components.mmd?lang=en").get_data(as_text=True)
    assert '==>|"replaced by"|' in mmd


def test_every_page_is_also_json(client):
    for url in ("/", "/strategies", "/initiatives", "/components", "/agencies", "/search?q=NemID"):
        r = client.get(url + ("&" if "?" in url else "?") + "format=json")
        assert r.status_code == 200 and r.mimetype == "application/json", url
        json.loads(r.get_data(as_text=True))


@pytest.mark.parametrize("url", [u for u in HTML_PAGES if not u.startswith(("/catalog", "/dumps", "/def", "/validate",
                                                                             "/audit"))])
def test_english_pages_have_no_danish_ui_strings(client, url):
    from digikort.web.i18n import TEXTS

    phrases = [TEXTS[k][0] for k in ("status_timeline", "latest_status", "links_here", "all_statements", "milestones",
                                     "named_queries", "dependencies", "depends_on", "lead_agency", "focus_area",
                                     "open_in_editor", "search_placeholder", "shown_of_total", "replaced_by",
                                     "strategies", "initiatives", "components", "agencies", "quality")]
    html = page(client, url + ("&" if "?" in url else "?") + "lang=en")
    text = text_of(html[html.index("<body"):])
    assert not [p for p in phrases if re.search(r"\b" + re.escape(p) + r"\b", text)], url
