"""The two languages of the pages: which one a request gets, and every UI string in both.

Pages speak Danish unless `?lang=en` (or `?lang=da`) or the browser's Accept-Language says
otherwise. Templates call `t("key")`; data labels go through `pick()`, which falls back to
the other language and says so, so a page can mark the fallback (a small "en" tag).
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import request
from jinja2 import pass_context

LANGS = ("da", "en")

# key -> (Danish, English). One table, so a missing translation is one place to look.
TEXTS: dict[str, tuple[str, str]] = {
    # navigation and page furniture
    "home": ("Forside", "Home"),
    "strategies": ("Strategier", "Strategies"),
    "initiatives": ("Initiativer", "Initiatives"),
    "components": ("Komponenter", "Components"),
    "agencies": ("Myndigheder", "Agencies"),
    "search": ("Søg", "Search"),
    "search_placeholder": ("Søg i navne og beskrivelser", "Search names and descriptions"),
    "named_queries": ("Navngivne forespørgsler", "Named queries"),
    "queries": ("Forespørgsler", "Queries"),
    "data": ("Data", "Data"),
    "catalogue": ("Datakatalog", "Data catalogue"),
    "quality": ("Kvalitet", "Quality"),
    "validation_report": ("Valideringsrapport", "Validation report"),
    "audit": ("Fuldstændighed", "Completeness audit"),
    "ontology": ("Ontologi", "Ontology"),
    "other_language": ("English", "Dansk"),
    "main_navigation": ("Hovednavigation", "Main navigation"),
    "skip_to_content": ("Spring til indhold", "Skip to content"),
    "tagline": ("Vidensgraf over den fællesoffentlige digitalisering",
                "Knowledge graph of Danish public-sector digitalisation"),
    "fallback_note": ("findes kun på engelsk", "only in Danish"),
    "formats": ("Formater", "Formats"),
    "rows": ("rækker", "rows"),
    "row_count": ("Antal", "Count"),
    "more": ("Flere", "More"),
    "none": ("ingen", "none"),
    "unknown": ("ukendt", "unknown"),
    # home
    "intro": ("Digikort er en åben vidensgraf over den offentlige digitalisering i Danmark: de fem fællesoffentlige "
              "digitaliseringsstrategier 2001-2020, deres initiativer og statusrapporter, KL's fælleskommunale "
              "handlingsplan og den fælles digitale infrastruktur (NemID/MitID, NemLog-in, Digital Post, NemKonto, "
              "borger.dk, Virk, CPR, CVR, NSP, sundhed.dk ...) med afhængighederne imellem. Hvert faktum henviser "
              "til det dokument, det stammer fra.",
              "Digikort is an open knowledge graph of Danish public-sector digitalisation: the five joint digital "
              "strategies 2001-2020, their initiatives and status reports, KL's joint-municipal action plan, and "
              "the shared digital infrastructure (NemID/MitID, NemLog-in, Digital Post, NemKonto, borger.dk, Virk, "
              "CPR, CVR, NSP, sundhed.dk ...) with the dependencies between them. Every fact cites the document it "
              "comes from."),
    "strategies_and_plans": ("Strategier og handlingsplaner", "Strategies and action plans"),
    "infrastructure_components": ("Infrastrukturkomponenter", "Infrastructure components"),
    "agencies_and_organisations": ("Myndigheder og organisationer", "Agencies and organisations"),
    "for_developers": ("For udviklere og dataportaler", "For developers and data portals"),
    "questions": ("Spørgsmål, man kan stille", "Questions to ask"),
    "q_status_history": ("Hvordan gik det med initiativ 7.4 år for år?", "How did initiative 7.4 fare year by year?"),
    "q_owner": ("Hvem ejer NemKonto?", "Who owns NemKonto?"),
    "q_outage": ("Hvad rammes, hvis NemLog-in er nede, og hvorfor?", "What breaks if NemLog-in is down, and why?"),
    "q_rules": ("Hvilke regler bryder data?", "Which rules does the data break?"),
    "dependency_map": ("Afhængighedskort", "Dependency map"),
    "dumps": ("Dumps", "Dumps"),
    "file": ("Fil", "File"),
    # resource pages
    "statements": ("Udsagn", "Statements"),
    "all_statements": ("Alle udsagn med kilder", "All statements with their sources"),
    "links_here": ("Henvisninger hertil", "Links here"),
    "sources": ("Kilder", "Sources"),
    "source": ("Kilde", "Source"),
    "property": ("Egenskab", "Property"),
    "value": ("Værdi", "Value"),
    "not_found": ("Ikke fundet", "Not found"),
    "not_found_text": ("Denne URI beskrives ikke i datasættet. Se listerne over",
                       "This URI is not described in the dataset. See the lists of"),
    "or_search_with": ("eller søg med", "or search with"),
    "dependencies": ("Afhængigheder", "Dependencies"),
    "what_breaks": ("Hvad rammes, hvis den er nede?", "What breaks if it is down?"),
    "type": ("Type", "Type"),
    # domain views
    "plan": ("Strategi/plan", "Strategy/plan"),
    "focus_area": ("Fokusområde", "Focus area"),
    "focus_areas": ("Fokusområder", "Focus areas"),
    "lead_agency": ("Ansvarlig myndighed", "Lead agency"),
    "partners": ("Partnere", "Partners"),
    "status_timeline": ("Statushistorik", "Status history"),
    "report": ("Rapport", "Report"),
    "reports": ("Statusrapporter", "Status reports"),
    "state": ("Status", "State"),
    "colour": ("Farve", "Colour"),
    "concern": ("Bekymring", "Concern"),
    "results": ("Resultater", "Results"),
    "plans": ("Planer", "Plans"),
    "milestones": ("Milepæle", "Milestones"),
    "milestone": ("Milepæl", "Milestone"),
    "date": ("Dato", "Date"),
    "kind": ("Art", "Kind"),
    "concerns_components": ("Vedrører komponenter", "Concerns components"),
    "owner": ("Ejer", "Owner"),
    "owners": ("Ejere", "Owners"),
    "depends_on": ("Afhænger af", "Depends on"),
    "dependents": ("Afhængige komponenter", "Dependents"),
    "replaces": ("Afløser", "Replaces"),
    "replaced_by": ("Afløst af", "Replaced by"),
    "when": ("Hvornår", "When"),
    "initiatives_concerning": ("Initiativer, der vedrører den", "Initiatives that concern it"),
    "latest_status": ("Seneste status", "Latest status"),
    "period": ("Periode", "Period"),
    "parties": ("Parter", "Parties"),
    "status_matrix": ("Statusmatrix (initiativ × rapport)", "Status matrix (initiative × report)"),
    "status_table": ("Statustabel", "Status table"),
    "initiative": ("Initiativ", "Initiative"),
    "leads": ("Leder", "Leads"),
    "partner_in": ("Partner i", "Partner in"),
    "owns": ("Ansvarlig for", "Responsible for"),
    "no_status": ("ingen status", "no status"),
    "number": ("Nr.", "No."),
    "status": ("Status", "Status"),
    "published": ("Udgivet", "Published"),
    "legend": ("Signaturforklaring", "Legend"),
    "map_down": ("nede (den valgte komponent)", "down (the chosen component)"),
    "map_hit": ("rammes, afhænger af den", "affected, depends on it"),
    "map_depends_critical": ("afhænger af (kritisk)", "depends on (critical)"),
    "map_depends_operational": ("afhænger af (driftsmæssig)", "depends on (operational)"),
    "map_replaced_by": ("afløses af", "replaced by"),
    "support": ("Support ydes af", "Support provided by"),
    "dep_critical": ("kritisk", "critical"),
    "dep_operational": ("driftsmæssig", "operational"),
    "supports": ("Yder support for", "Supports"),
    "reports_on": ("Gør status for", "Reports on"),
    "year": ("År", "Year"),
    "previous_colour": ("Forrige farve", "Previous colour"),
    # index pages and search
    "filter": ("Filtrér", "Filter"),
    "all": ("Alle", "All"),
    "show": ("Vis", "Show"),
    "name": ("Navn", "Name"),
    "description": ("Beskrivelse", "Description"),
    "count_of": ("i alt", "in total"),
    "search_results": ("Søgeresultater", "Search results"),
    "no_results": ("Ingen resultater.", "No results."),
    "search_hint": ("Søger i navne og beskrivelser på dansk og engelsk.",
                    "Searches names and descriptions in Danish and English."),
    "search_too_short": ("Skriv mindst to tegn.", "Type at least two characters."),
    "kind_of_thing": ("Slags", "Kind"),
    "public_authorities": ("Offentlige myndigheder", "Public authorities"),
    "other_organisations": ("Andre organisationer", "Other organisations"),
    "public_authority": ("Offentlig myndighed", "Public authority"),
    "shown_of_total": ("vist af", "shown of"),
    "reset": ("Nulstil", "Reset"),
    "text_filter": ("Tekst", "Text"),
    "successor": ("Afløser", "Successor"),
    "matched": ("Fundet i", "Matched"),
    "other": ("Andet", "Other"),
    # named queries and impact
    "parameters": ("Parametre", "Parameters"),
    "audience": ("Målgruppe", "Audience"),
    "run": ("Kør", "Run"),
    "open_in_editor": ("Åbn i SPARQL-siden", "Open in the SPARQL page"),
    "outage_impact": ("Konsekvens af nedbrud", "Outage impact"),
    "if": ("Hvis", "If"),
    "is_down": ("er nede", "is down"),
    "components_hit": ("komponenter", "components"),
    "initiatives_hit": ("initiativer", "initiatives"),
    "agencies_hit": ("myndigheder rammes", "agencies affected"),
    "map": ("Kort", "Map"),
    "component": ("Komponent", "Component"),
    "distance": ("Afstand", "Distance"),
    "path": ("Sti", "Path"),
    "via_component": ("Via komponent", "Via component"),
    "agency": ("Myndighed", "Agency"),
    "role": ("Rolle", "Role"),
    "critical": ("kritisk", "critical"),
    "role_leads": ("leder et ramt initiativ", "leads an affected initiative"),
    "role_owns": ("ansvarlig for en ramt komponent", "responsible for an affected component"),
    "audience_architect": ("arkitekter", "architects"),
    "audience_auditor": ("revisorer", "auditors"),
    "audience_data-portal": ("dataportaler", "data portals"),
    "audience_everyone": ("alle", "everyone"),
    # SPARQL pages
    "sparql_endpoint": ("SPARQL-endpoint", "SPARQL endpoint"),
    "editor_needs_js": ("Editoren kræver JavaScript. Uden den kan forespørgsler sendes til",
                        "The editor needs JavaScript. Without it, send queries to"),
    "named_queries_are_at": ("de navngivne forespørgsler findes på", "the named queries are at"),
    "query_tab": ("Forespørgsel", "Query"),
    "editor_label": ("SPARQL-forespørgsel", "SPARQL query"),
    "tab_name_label": ("Fanens navn", "Tab name"),
    "add_tab": ("Ny fane", "Add a new tab"),
    "close_tab": ("Luk fane", "Close tab"),
    "sparql_results": ("SPARQL-resultater", "SPARQL results"),
    "true": ("sand", "true"),
    "false": ("falsk", "false"),
    "service_description": ("Tjenestebeskrivelse", "Service description"),
}


def page_lang() -> str:
    """`?lang=` wins, then Accept-Language; Danish when neither says."""
    lang = request.args.get("lang")
    if lang in LANGS:
        return lang
    return request.accept_languages.best_match(LANGS) or "da"


def other(lang: str) -> str:
    return "en" if lang == "da" else "da"


def t(key: str, lang: str | None = None) -> str:
    da, en = TEXTS[key]
    return en if (lang or page_lang()) == "en" else da


def pick(names: dict[str, str], lang: str) -> tuple[str, str | None]:
    """A label from {lang: text} in the page language; else the other one (returned as the
    second item, so the page can mark it), else an untagged one."""
    if names.get(lang):
        return names[lang], None
    alt = other(lang)
    if names.get(alt):
        return names[alt], alt
    for key, text in names.items():
        if text:
            return text, (key or None) if key not in ("", lang) else None
    return "", None


def switch_url(lang: str) -> str:
    """This page in the other language, keeping its other query parameters."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", other(lang)))
    return request.path + "?" + urlencode(args)


@pass_context
def _t(ctx, key: str) -> str:
    # A view may render with an explicit lang=...; the template context has it.
    return t(key, ctx.get("lang"))


def register(app):
    """Template helpers: `t`, `lang` (when a view did not pass one), `switch_url`, `pick`."""
    app.jinja_env.globals.update(t=_t, texts=TEXTS, switch_url=switch_url, pick=pick, lang_other=other)

    @app.context_processor
    def _lang_context():
        return {"lang": page_lang()}
