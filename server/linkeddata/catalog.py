"""The DCAT catalogue of the service, as a data portal shows it: three datasets (the
knowledge graph, the ontology, the shapes), each with its distributions. The per-source
named graphs are distributions of the knowledge graph ("Facts from: <document>"), not datasets
of their own, so a CKAN harvest gives one dataset with its parts instead of twenty peers.

Two profiles of the same catalogue (W3C Content Negotiation by Profile), chosen by
`Accept-Profile` or `?_profile=`:
- DCAT-AP 3.0.1 (the default, EU-wide): `dcat:byteSize` as `xsd:nonNegativeInteger`;
- DCAT-AP-DK 2.0.2 (the Danish profile): `dcat:byteSize` as `xsd:decimal`.
The profiles disagree on that datatype and pyshacl matches datatypes exactly, so no single
document passes both. They also disagree on two smaller points, handled the same way:
`dcatap:availability` (DCAT-AP 3 takes the EU planned-availability table, DCAT-AP-DK the
DCAT-AP 2 IRIs under http://data.europa.eu/r5r/availability/) and the catalogue's
`dct:language` (DCAT-AP-DK's pattern expects .../resource/dataset/language/, which is not
where the EU language table lives, so the DK variant leaves it out; datasets keep theirs).

Catalogue resources are hash IRIs of the catalogue document (Cool URIs), so they resolve.
Every linked object is typed and EU-vocabulary concepts carry a skos:prefLabel and their
scheme, as the range and controlled-vocabulary shapes check without inference.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS as DCT, FOAF, RDF, SKOS, XSD

from . import dumps

SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
PROF = Namespace("http://www.w3.org/ns/dx/prof/")
AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_THEME = Namespace(AUTHORITY + "data-theme/")
EU_LANG = Namespace(AUTHORITY + "language/")
EU_FREQ = Namespace(AUTHORITY + "frequency/")
EU_FT = Namespace(AUTHORITY + "file-type/")
EU_COUNTRY = Namespace(AUTHORITY + "country/")
EU_AVAIL = Namespace(AUTHORITY + "planned-availability/")
IANA = "https://www.iana.org/assignments/media-types/"
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
ISSUED = Literal("2026-11-24", datatype=XSD.date)
PAGE_SIZE = 10
RESOURCE = URIRef("http://www.w3.org/2000/01/rdf-schema#Resource")  # range.ttl wants every object typed
_FILE_TYPES = {"text/turtle": "RDF_TURTLE", "application/n-triples": "RDF_N_TRIPLES", "application/ld+json": "JSON_LD",
               "application/trig": "RDF_TRIG", "application/n-quads": "RDF_N_QUADS", "text/html": "HTML"}
_FORMAT_NAMES = {"text/turtle": "Turtle", "application/n-triples": "N-Triples", "application/ld+json": "JSON-LD",
                 "application/trig": "TriG", "application/n-quads": "N-Quads", "text/html": "HTML"}


@dataclass(frozen=True)
class Profile:
    token: str
    uri: str
    title: str
    byte_size_type: URIRef
    availability: URIRef  # "stable" in the profile's vocabulary
    catalogue_language: bool  # state the catalogue's own languages?
    aliases: tuple = ()

    def matches(self, name: str) -> bool:
        name = name.strip().strip("<>")
        return name in (self.token, self.uri, self.uri.rstrip("/"), *self.aliases)


PROFILES = {
    "dcat-ap": Profile("dcat-ap", "https://semiceu.github.io/DCAT-AP/releases/3.0.1/", "DCAT-AP 3.0.1",
                       XSD.nonNegativeInteger, EU_AVAIL.STABLE, True, ("dcat-ap-3.0.1", "http://data.europa.eu/r5r/")),
    "dcat-ap-dk": Profile("dcat-ap-dk", "https://data.gov.dk/model/profile/dcat-ap-dk-2.0.2/", "DCAT-AP-DK 2.0.2",
                          XSD.decimal, URIRef("http://data.europa.eu/r5r/availability/stable"), False, ("dcat-ap-dk-2.0.2",)),
}
DEFAULT_PROFILE = "dcat-ap"


def find_profile(name: str) -> Profile | None:
    return next((p for p in PROFILES.values() if p.matches(name)), None)


@dataclass
class Distribution:
    key: str  # the fragment of its IRI
    title: dict  # lang -> title
    description: dict
    url: str
    media_type: str
    dump: dumps.Dump | None = None  # None for a page or a service
    service: bool = False
    part: bool = False  # one named graph of the dataset (a source document's facts, or metadata)


@dataclass
class Dataset:
    slug: str
    title: dict
    description: dict
    keywords: dict = field(default_factory=dict)  # lang -> [words]
    landing_page: str | None = None
    distributions: list[Distribution] = field(default_factory=list)
    temporal: tuple | None = None  # (start year, end year)


def _graphs(store) -> list[dict]:
    """Every named graph with its kind, its name and the source document it comes from."""
    q = """PREFIX dk: <https://w3id.org/digikort/def/> PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
    SELECT ?g ?kind ?label ?lang ?doc ?docLabel ?docLang ?page WHERE {
      ?g a ?kind FILTER(?kind IN (dk:FactGraph, dk:MetadataGraph))
      OPTIONAL { ?g rdfs:label ?label BIND(lang(?label) AS ?lang) }
      OPTIONAL { ?g prov:wasDerivedFrom ?doc . OPTIONAL { ?doc rdfs:label ?docLabel BIND(lang(?docLabel) AS ?docLang) }
                 OPTIONAL { ?doc foaf:page ?page } } } ORDER BY ?g"""
    out: dict = {}
    for r in json.loads(store.query(q, result_format="json").body)["results"]["bindings"]:
        g = out.setdefault(r["g"]["value"], {"graph": r["g"]["value"], "fact": r["kind"]["value"].endswith("FactGraph"),
                                             "label": {}, "doc": None, "doc_label": {}, "page": None})
        if "label" in r:
            g["label"].setdefault(r["lang"]["value"] or "en", r["label"]["value"])
        if "doc" in r:
            g["doc"] = r["doc"]["value"]
            if "docLabel" in r:
                g["doc_label"].setdefault(r["docLang"]["value"] or "en", r["docLabel"]["value"])
        if "page" in r:
            g["page"] = r["page"]["value"]
    return list(out.values())


def _both(d: dict, fallback: str) -> dict:
    return {"da": d.get("da") or d.get("en") or fallback, "en": d.get("en") or d.get("da") or fallback}


def datasets(store, base: str) -> list[Dataset]:
    """The catalogue's datasets with their distributions, for the RDF and for the HTML page."""
    graph = Dataset(
        "digikort",
        {"da": "Digikort: vidensgraf over offentlig digitalisering i Danmark",
         "en": "Digikort: knowledge graph of Danish public-sector digitalisation"},
        {"da": "Hele vidensgrafen: de fællesoffentlige digitaliseringsstrategier 2001-2020, deres initiativer og "
               "statusrapporter, den fælles infrastruktur (NemID/MitID, NemLog-in, Digital Post, NemKonto ...) og "
               "dens afhængigheder. Hvert faktum ligger i en navngiven graf for det kildedokument, der siger det; "
               "hver graf kan også hentes for sig.",
         "en": "The whole knowledge graph: the joint public-sector digital strategies 2001-2020, their initiatives "
               "and status reports, the shared infrastructure (NemID/MitID, NemLog-in, Digital Post, NemKonto ...) "
               "and its dependencies. Every fact sits in a named graph of the source document that states it; each "
               "graph can also be downloaded on its own."},
        {"da": ["digitalisering", "digitaliseringsstrategi", "offentlig sektor", "infrastruktur"],
         "en": ["digitalisation", "digital strategy", "public sector", "infrastructure"]},
        landing_page=base + "/", temporal=(2001, 2020))
    for name, (media, _, gz) in dumps.WHOLE.items():
        dump = dumps.get(store, name)
        fmt = _FORMAT_NAMES[media] + (", gzip" if gz else "")
        graph.distributions.append(Distribution(
            f"distribution-{name.replace('.', '-')}",
            {"da": f"Hele vidensgrafen ({fmt})", "en": f"The whole knowledge graph ({fmt})"},
            {"da": "Alle grafer i én fil" + (" med grafernes navne (quads)." if media in ("application/trig", "application/n-quads")
                                             else " (foreningen af alle grafer, uden grafnavne)."),
             "en": "All graphs in one file" + (" with the graphs' names (quads)." if media in ("application/trig", "application/n-quads")
                                               else " (the union of all graphs, without graph names).")},
            f"{base}/dumps/{name}", media, dump))
    graph.distributions.append(Distribution(
        "distribution-sparql", {"da": "SPARQL-endpoint", "en": "SPARQL endpoint"},
        {"da": "Forespørg hele vidensgrafen med SPARQL 1.1.", "en": "Query the whole knowledge graph with SPARQL 1.1."},
        base + "/sparql", "application/sparql-results+json", None, service=True))
    ontology = Dataset(
        "ontology", {"da": "Digikort-ontologien", "en": "The Digikort ontology"},
        {"da": "OWL-ontologien og SKOS-kodelisterne (status, farver, afhængighedstyper, milepælstyper ...), som "
               "vidensgrafen bruger, med dokumentation.",
         "en": "The OWL ontology and the SKOS code lists (states, colours, dependency kinds, milestone kinds ...) "
               "the knowledge graph uses, with documentation."},
        {"da": ["ontologi", "kodeliste"], "en": ["ontology", "code list"]}, landing_page=base + "/def/")
    shapes = Dataset(
        "shapes", {"da": "Digikorts SHACL-regler", "en": "Digikort's SHACL shapes"},
        {"da": "SHACL-regler for fuldstændighed og konsistens, som valideringsrapporten bruger.",
         "en": "SHACL shapes for completeness and consistency, used by the validation report."},
        {"da": ["SHACL", "validering", "datakvalitet"], "en": ["SHACL", "validation", "data quality"]},
        landing_page=base + "/validate")
    for g in _graphs(store):
        slug = dumps.graph_slug(g["graph"])
        if slug is None:
            continue
        name = f"graphs/{slug}.ttl"
        dump = dumps.get(store, name)
        if dump is None:
            continue
        key = f"distribution-graphs-{slug.replace('/', '-')}"
        if slug == "ontology":
            ontology.distributions.append(Distribution(
                key, {"da": "Ontologien og kodelisterne (Turtle)", "en": "The ontology and code lists (Turtle)"},
                {"da": "Den navngivne graf med ontologien og kodelisterne.", "en": "The named graph holding the ontology and code lists."},
                f"{base}/dumps/{name}", "text/turtle", dump))
            continue
        if g["fact"]:
            doc = _both(g["doc_label"], slug)
            title = {"da": f"Fakta fra: {doc['da']}", "en": f"Facts from: {doc['en']}"}
            where = f" ({g['page']})" if g["page"] else ""
            desc = {"da": f"De fakta, som kildedokumentet »{doc['da']}«{where} siger: den navngivne graf <{g['graph']}>.",
                    "en": f"The facts the source document “{doc['en']}”{where} states: the named graph <{g['graph']}>."}
        else:
            label = _both(g["label"], slug)
            title = {"da": f"Metadata: {label['da']}", "en": f"Metadata: {label['en']}"}
            desc = {"da": f"Digikorts egen metadatagraf <{g['graph']}>: {label['da']}.",
                    "en": f"Digikort's own metadata graph <{g['graph']}>: {label['en']}."}
        graph.distributions.append(Distribution(key, title, desc, f"{base}/dumps/{name}", "text/turtle", dump, part=True))
    ontology.distributions.append(Distribution(
        "distribution-ontology-html", {"da": "Ontologiens dokumentation (HTML)", "en": "The ontology's documentation (HTML)"},
        {"da": "Klasser, egenskaber og kodelister med definitioner.", "en": "Classes, properties and code lists with definitions."},
        base + "/def/", "text/html"))
    from .. import resources

    for path in resources.rdf_files("shapes"):
        body = path.read_bytes()
        shapes.distributions.append(Distribution(
            f"distribution-shapes-{path.stem}", {"da": f"SHACL-regler ({path.name})", "en": f"SHACL shapes ({path.name})"},
            {"da": "Reglerne som Turtle.", "en": "The shapes as Turtle."},
            f"{base}/dumps/shapes/{path.name}", "text/turtle", dumps.Dump(path.name, "text/turtle", body, False)))
    return [graph, ontology, shapes]


def last_page(store, base: str, page_size: int = PAGE_SIZE) -> int:
    return max(1, -(-len(datasets(store, base)) // page_size))


def _concept(g, iri, label, scheme, scheme_label, kind=SKOS.Concept):
    g.add((iri, RDF.type, kind))
    if kind != SKOS.Concept:
        g.add((iri, RDF.type, SKOS.Concept))
    g.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
    g.add((iri, SKOS.inScheme, URIRef(scheme)))
    g.add((URIRef(scheme), RDF.type, SKOS.ConceptScheme))
    g.add((URIRef(scheme), DCT.title, Literal(scheme_label, lang="en")))


def build(store, base: str, page: int | None = None, page_size: int = PAGE_SIZE, profile: Profile | str | None = None) -> Graph:
    """The catalogue (one page of it when `page` is given) in a profile; `base` is where the service runs."""
    profile = PROFILES[profile] if isinstance(profile, str) else (profile or PROFILES[DEFAULT_PROFILE])
    g = Graph()
    for prefix, ns in [("dcat", DCAT), ("dct", DCT), ("foaf", FOAF), ("spdx", SPDX), ("vcard", VCARD),
                       ("hydra", HYDRA), ("skos", SKOS), ("dcatap", DCATAP), ("prof", PROF)]:
        g.bind(prefix, ns)
    doc = base + "/catalog"
    cat = URIRef(doc + "#catalog")
    publisher = URIRef(doc + "#publisher")
    contact = URIRef(doc + "#contact")
    service = URIRef(doc + "#sparql")
    g.add((cat, RDF.type, DCAT.Catalog))
    _title(g, cat, {"da": "Digikort-kataloget", "en": "The Digikort catalogue"})
    _desc(g, cat, {"da": "Datakatalog for Digikort, vidensgrafen over offentlig digitalisering i Danmark.",
                   "en": "Data catalogue of Digikort, the knowledge graph of Danish public-sector digitalisation."})
    g.add((cat, DCT.conformsTo, URIRef(profile.uri)))
    g.add((URIRef(profile.uri), RDF.type, DCT.Standard))
    g.add((URIRef(profile.uri), RDF.type, PROF.Profile))
    g.add((URIRef(profile.uri), DCT.title, Literal(profile.title, lang="en")))
    g.add((cat, DCT.publisher, publisher))
    g.add((cat, FOAF.homepage, URIRef(base + "/")))
    g.add((URIRef(base + "/"), RDF.type, FOAF.Document))
    g.add((cat, DCT.license, LICENCE))
    g.add((cat, DCT.issued, ISSUED))
    g.add((cat, DCT.modified, Literal(date.today().isoformat(), datatype=XSD.date)))
    g.add((cat, DCT.spatial, EU_COUNTRY.DNK))
    themes = URIRef(AUTHORITY + "data-theme")
    g.add((cat, DCAT.themeTaxonomy, themes))
    g.add((cat, DCAT.service, service))
    if profile.catalogue_language:  # the metadata is written in Danish and English
        for lang in (EU_LANG.DAN, EU_LANG.ENG):
            g.add((cat, DCT.language, lang))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal("Digikort", lang="da")))
    g.add((publisher, FOAF.name, Literal("Digikort", lang="en")))
    ptype = URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation")
    g.add((publisher, DCT.type, ptype))
    _concept(g, ptype, "Non-Profit Organisation", "http://purl.org/adms/publishertype/1.0", "Publisher type")
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal("Digikort")))
    g.add((contact, VCARD.hasURL, URIRef(base + "/")))
    g.add((LICENCE, RDF.type, DCT.LicenseDocument))
    g.add((LICENCE, DCT.title, Literal("Creative Commons Attribution 4.0 International", lang="en")))
    ltype = URIRef("http://purl.org/adms/licencetype/Attribution")
    g.add((LICENCE, DCT.type, ltype))
    _concept(g, ltype, "Attribution", "http://purl.org/adms/licencetype/1.0", "Licence type")
    for lang, label in [(EU_LANG.DAN, "Danish"), (EU_LANG.ENG, "English")]:
        _concept(g, lang, label, AUTHORITY + "language", "Language", DCT.LinguisticSystem)
    theme = EU_THEME.GOVE
    _concept(g, theme, "Government and public sector", str(themes), "Data theme")
    freq = EU_FREQ.IRREG
    _concept(g, freq, "irregular", AUTHORITY + "frequency", "Frequency", DCT.Frequency)
    _concept(g, EU_COUNTRY.DNK, "Denmark", AUTHORITY + "country", "Country", DCT.Location)
    _concept(g, profile.availability, "stable", AUTHORITY + "planned-availability" if profile.availability == EU_AVAIL.STABLE
             else "http://data.europa.eu/r5r/availability", "Planned availability")

    # the SPARQL endpoint
    g.add((service, RDF.type, DCAT.DataService))
    _title(g, service, {"da": "Digikorts SPARQL-endpoint", "en": "Digikort SPARQL endpoint"})
    _desc(g, service, {"da": "SPARQL 1.1-endpoint over hele vidensgrafen.", "en": "SPARQL 1.1 endpoint over the whole knowledge graph."})
    g.add((service, DCAT.endpointURL, URIRef(base + "/sparql")))
    g.add((service, DCAT.endpointDescription, URIRef(base + "/sparql?format=turtle")))
    g.add((URIRef(base + "/sparql?format=turtle"), RDF.type, RESOURCE))
    g.add((service, DCT.license, LICENCE))
    g.add((service, DCT.publisher, publisher))
    g.add((service, DCAT.contactPoint, contact))
    g.add((service, DCAT.theme, theme))
    g.add((service, DCAT.keyword, Literal("SPARQL", lang="en")))
    g.add((service, DCAT.keyword, Literal("SPARQL", lang="da")))
    g.add((service, DCT.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((URIRef("https://www.w3.org/TR/sparql11-protocol/"), RDF.type, DCT.Standard))

    all_datasets = datasets(store, base)
    shown = all_datasets
    if page is not None:
        total = len(all_datasets)
        last = max(1, -(-total // page_size))
        shown = all_datasets[(page - 1) * page_size: page * page_size]
        query = f"_profile={profile.token}&" if profile.token != DEFAULT_PROFILE else ""
        per = f"&per_page={page_size}" if page_size != PAGE_SIZE else ""
        view = URIRef(f"{doc}?{query}page={page}{per}")
        g.add((cat, HYDRA.view, view))
        g.add((view, RDF.type, HYDRA.PartialCollectionView))
        g.add((view, HYDRA.first, URIRef(f"{doc}?{query}page=1{per}")))
        g.add((view, HYDRA.last, URIRef(f"{doc}?{query}page={last}{per}")))
        g.add((view, HYDRA.totalItems, Literal(total, datatype=XSD.nonNegativeInteger)))
        if page < last:
            g.add((view, HYDRA.next, URIRef(f"{doc}?{query}page={page + 1}{per}")))
        if page > 1:
            g.add((view, HYDRA.previous, URIRef(f"{doc}?{query}page={page - 1}{per}")))
    for d in shown:
        ds = URIRef(f"{doc}#dataset-{d.slug}")
        g.add((cat, DCAT.dataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        _title(g, ds, d.title)
        _desc(g, ds, d.description)
        g.add((ds, DCT.publisher, publisher))
        g.add((ds, DCAT.contactPoint, contact))
        g.add((ds, DCAT.theme, theme))
        g.add((ds, DCT.language, EU_LANG.DAN))
        g.add((ds, DCT.language, EU_LANG.ENG))
        g.add((ds, DCT.spatial, EU_COUNTRY.DNK))
        g.add((ds, DCT.issued, ISSUED))
        g.add((ds, DCT.accrualPeriodicity, freq))
        g.add((ds, DCT.identifier, Literal(f"digikort-{d.slug}")))
        for lang, words in d.keywords.items():
            for w in words:
                g.add((ds, DCAT.keyword, Literal(w, lang=lang)))
        if d.landing_page:
            g.add((ds, DCAT.landingPage, URIRef(d.landing_page)))
            g.add((URIRef(d.landing_page), RDF.type, FOAF.Document))
        if d.temporal:
            period = URIRef(f"{doc}#period-{d.slug}")
            g.add((ds, DCT.temporal, period))
            g.add((period, RDF.type, DCT.PeriodOfTime))
            g.add((period, DCAT.startDate, Literal(f"{d.temporal[0]}-01-01", datatype=XSD.date)))
            g.add((period, DCAT.endDate, Literal(f"{d.temporal[1]}-12-31", datatype=XSD.date)))
        if d.slug == "digikort":
            g.add((service, DCAT.servesDataset, ds))
        for dist in d.distributions:
            node = URIRef(f"{doc}#{dist.key}")
            g.add((ds, DCAT.distribution, node))
            _distribution(g, node, dist, profile, service)
    return g


def _title(g, s, titles: dict):
    for lang, text in titles.items():
        g.add((s, DCT.title, Literal(text, lang=lang)))


def _desc(g, s, texts: dict):
    for lang, text in texts.items():
        g.add((s, DCT.description, Literal(text, lang=lang)))


def _distribution(g, node, dist: Distribution, profile: Profile, service):
    g.add((node, RDF.type, DCAT.Distribution))
    _title(g, node, dist.title)
    _desc(g, node, dist.description)
    g.add((node, DCAT.accessURL, URIRef(dist.url)))
    g.add((URIRef(dist.url), RDF.type, RESOURCE))
    g.add((node, DCT.license, LICENCE))
    g.add((node, DCATAP.availability, profile.availability))
    if dist.service:
        g.add((node, DCAT.accessService, service))
        return
    media = URIRef(IANA + dist.media_type)
    g.add((node, DCAT.mediaType, media))
    g.add((media, RDF.type, DCT.MediaType))
    code = _FILE_TYPES.get(dist.media_type, "RDF_TURTLE")
    file_type = EU_FT[code]
    g.add((node, DCT.format, file_type))
    _concept(g, file_type, code, AUTHORITY + "file-type", "File type", DCT.MediaTypeOrExtent)
    if dist.dump is None:  # a page, not a download
        return
    dump = dist.dump
    g.add((node, DCAT.downloadURL, URIRef(dist.url)))
    if dump.gzipped:
        gz = URIRef(IANA + "application/gzip")
        g.add((node, DCAT.compressFormat, gz))
        g.add((gz, RDF.type, DCT.MediaType))
    g.add((node, DCAT.byteSize, Literal(len(dump.body), datatype=profile.byte_size_type)))
    # one checksum (DCAT-AP allows one): SHA-1, the algorithm DCAT-AP-DK requires; SHA-256 is in the HTML and /dumps/
    c = BNode()
    g.add((node, SPDX.checksum, c))
    g.add((c, RDF.type, SPDX.Checksum))
    g.add((c, SPDX.algorithm, SPDX.checksumAlgorithm_sha1))
    g.add((SPDX.checksumAlgorithm_sha1, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((c, SPDX.checksumValue, Literal(dump.sha1, datatype=XSD.hexBinary)))
