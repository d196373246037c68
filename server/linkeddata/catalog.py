"""The DCAT-AP 3 catalogue of the service: the whole dataset, one dataset per source
document, the ontology and the shapes, their distributions (the dumps, with size and
checksums), and the SPARQL endpoint as a data service.

Catalogue resources are hash IRIs of the catalogue document (Cool URIs), so they resolve.
Every linked object is typed and EU-vocabulary concepts carry a skos:prefLabel, as the
DCAT-AP 3.0.1 range shapes check without inference.
"""
from __future__ import annotations

import json
from datetime import date

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS as DCT, FOAF, RDF, SKOS, XSD

from . import dumps

SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_LANG = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_FT = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA = "https://www.iana.org/assignments/media-types/"
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
ISSUED = Literal("2026-11-24", datatype=XSD.date)
PAGE_SIZE = 10
RESOURCE = URIRef("http://www.w3.org/2000/01/rdf-schema#Resource")  # range.ttl wants every object typed
_FILE_TYPES = {"text/turtle": "RDF_TURTLE", "application/n-triples": "RDF_N_TRIPLES", "application/ld+json": "JSON_LD",
               "application/trig": "RDF_TRIG", "application/n-quads": "RDF_N_QUADS"}


def _datasets(store) -> list[dict]:
    """The catalogue's datasets: the whole graph, each source document's graph, ontology, shapes."""
    q = """PREFIX dk: <https://w3id.org/digikort/def/> PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX dct: <http://purl.org/dc/terms/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?g ?doc ?title ?titleEn ?page WHERE {
      ?g a dk:FactGraph ; prov:wasDerivedFrom ?doc .
      OPTIONAL { ?doc rdfs:label ?title FILTER(lang(?title) = "da") }
      OPTIONAL { ?doc rdfs:label ?titleEn FILTER(lang(?titleEn) = "en") }
      OPTIONAL { ?doc <http://xmlns.com/foaf/0.1/page> ?page } } ORDER BY ?g"""
    rows = json.loads(store.query(q, result_format="json").body)["results"]["bindings"]
    out = [{"slug": "digikort", "title_da": "Digikort: vidensgraf over offentlig digitalisering i Danmark",
            "title_en": "Digikort: knowledge graph of Danish public-sector digitalisation",
            "desc_da": "Hele vidensgrafen: strategier, initiativer, statusrapporter, infrastrukturkomponenter og afhængigheder, med proveniens.",
            "desc_en": "The whole knowledge graph: strategies, initiatives, status reports, infrastructure components and dependencies, with provenance.",
            "dumps": list(dumps.WHOLE)}]
    seen = set()
    for r in rows:
        graph = r["g"]["value"]
        if graph in seen:
            continue
        seen.add(graph)
        slug = graph.split("/graph/", 1)[1]
        title_da = r.get("title", r.get("titleEn", {})).get("value", slug)
        title_en = r.get("titleEn", r.get("title", {})).get("value", slug)
        out.append({"slug": slug.replace("/", "-"), "title_da": f"Fakta fra: {title_da}", "title_en": f"Facts from: {title_en}",
                    "desc_da": f"Den navngivne graf <{graph}> med de fakta, som kilden siger.",
                    "desc_en": f"The named graph <{graph}> holding the facts that the source states.",
                    "dumps": [f"graphs/{slug}.ttl"], "source": r["doc"]["value"],
                    "page": r.get("page", {}).get("value")})
    out.append({"slug": "ontology", "title_da": "Digikort-ontologien", "title_en": "The Digikort ontology",
                "desc_da": "OWL-ontologien og SKOS-kodelisterne, som grafen bruger.",
                "desc_en": "The OWL ontology and SKOS code lists the graph uses.", "dumps": ["graphs/ontology.ttl"]})
    out.append({"slug": "shapes", "title_da": "Digikorts SHACL-shapes", "title_en": "Digikort's SHACL shapes",
                "desc_da": "SHACL-shapes for fuldstændighed og konsistens.",
                "desc_en": "SHACL shapes for completeness and consistency.", "dumps": [], "shapes": True})
    return out


def build(store, base: str, page: int | None = None, page_size: int = PAGE_SIZE) -> Graph:
    """The catalogue (one page of it when `page` is given); `base` is where the service runs."""
    g = Graph()
    for prefix, ns in [("dcat", DCAT), ("dct", DCT), ("foaf", FOAF), ("spdx", SPDX), ("vcard", VCARD),
                       ("hydra", HYDRA), ("skos", SKOS), ("dcatap", DCATAP)]:
        g.bind(prefix, ns)
    doc = base + "/catalog"
    cat = URIRef(doc + "#catalog")
    publisher = URIRef(doc + "#publisher")
    contact = URIRef(doc + "#contact")
    service = URIRef(doc + "#sparql")
    g.add((cat, RDF.type, DCAT.Catalog))
    _title(g, cat, "Digikort-kataloget", "The Digikort catalogue")
    _desc(g, cat, "Datakatalog for Digikort, vidensgrafen over offentlig digitalisering i Danmark.",
          "Data catalogue of Digikort, the knowledge graph of Danish public-sector digitalisation.")
    g.add((cat, DCT.publisher, publisher))
    g.add((cat, FOAF.homepage, URIRef(base + "/")))
    g.add((URIRef(base + "/"), RDF.type, FOAF.Document))
    g.add((cat, DCT.license, LICENCE))
    # no dct:language on the catalogue: DCAT-AP-DK 2.0.2's pattern there expects
    # .../resource/dataset/language/ while the EU table (used on datasets) is .../authority/language/
    g.add((cat, DCT.issued, ISSUED))
    g.add((cat, DCT.modified, Literal(date.today().isoformat(), datatype=XSD.date)))
    g.add((cat, DCAT.themeTaxonomy, URIRef("http://publications.europa.eu/resource/authority/data-theme")))
    g.add((URIRef("http://publications.europa.eu/resource/authority/data-theme"), RDF.type, SKOS.ConceptScheme))
    g.add((URIRef("http://publications.europa.eu/resource/authority/data-theme"), DCT.title, Literal("Data theme", lang="en")))
    g.add((cat, DCAT.service, service))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal("Digikort", lang="da")))
    g.add((publisher, FOAF.name, Literal("Digikort", lang="en")))
    g.add((publisher, DCT.type, URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation")))
    g.add((URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation"), RDF.type, SKOS.Concept))
    g.add((URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation"), SKOS.prefLabel, Literal("Non-Profit Organisation", lang="en")))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal("Digikort")))
    g.add((contact, VCARD.hasURL, URIRef(base + "/")))
    g.add((LICENCE, RDF.type, DCT.LicenseDocument))
    g.add((LICENCE, DCT.title, Literal("Creative Commons Attribution 4.0 International", lang="en")))
    for lang, label in [(EU_LANG.DAN, "Danish"), (EU_LANG.ENG, "English")]:
        g.add((lang, RDF.type, DCT.LinguisticSystem))
        g.add((lang, SKOS.prefLabel, Literal(label, lang="en")))
    theme = EU_THEME.GOVE
    g.add((theme, RDF.type, SKOS.Concept))
    g.add((theme, SKOS.prefLabel, Literal("Government and public sector", lang="en")))
    g.add((theme, SKOS.inScheme, URIRef("http://publications.europa.eu/resource/authority/data-theme")))
    freq = EU_FREQ.IRREG
    g.add((freq, RDF.type, DCT.Frequency))
    g.add((freq, SKOS.prefLabel, Literal("irregular", lang="en")))

    # the SPARQL endpoint
    g.add((service, RDF.type, DCAT.DataService))
    _title(g, service, "Digikorts SPARQL-endpoint", "Digikort SPARQL endpoint")
    _desc(g, service, "SPARQL 1.1-endpoint over hele vidensgrafen.", "SPARQL 1.1 endpoint over the whole knowledge graph.")
    g.add((service, DCAT.endpointURL, URIRef(base + "/sparql")))
    g.add((service, DCAT.endpointDescription, URIRef(base + "/sparql?format=turtle")))
    g.add((URIRef(base + "/sparql?format=turtle"), RDF.type, RESOURCE))
    g.add((service, DCT.license, LICENCE))
    g.add((service, DCT.publisher, publisher))
    g.add((service, DCAT.contactPoint, contact))
    g.add((service, DCAT.theme, theme))
    g.add((service, DCT.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((URIRef("https://www.w3.org/TR/sparql11-protocol/"), RDF.type, DCT.Standard))

    datasets = _datasets(store)
    shown = datasets
    if page is not None:
        total = len(datasets)
        last = max(1, -(-total // page_size))
        shown = datasets[(page - 1) * page_size: page * page_size]
        view = URIRef(f"{doc}?page={page}")
        g.add((cat, HYDRA.view, view))
        g.add((view, RDF.type, HYDRA.PartialCollectionView))
        g.add((view, HYDRA.first, URIRef(f"{doc}?page=1")))
        g.add((view, HYDRA.last, URIRef(f"{doc}?page={last}")))
        g.add((view, HYDRA.totalItems, Literal(total, datatype=XSD.nonNegativeInteger)))
        if page < last:
            g.add((view, HYDRA.next, URIRef(f"{doc}?page={page + 1}")))
        if page > 1:
            g.add((view, HYDRA.previous, URIRef(f"{doc}?page={page - 1}")))
    for d in shown:
        ds = URIRef(f"{doc}#dataset-{d['slug']}")
        g.add((cat, DCAT.dataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        _title(g, ds, d["title_da"], d["title_en"])
        _desc(g, ds, d["desc_da"], d["desc_en"])
        g.add((ds, DCT.publisher, publisher))
        g.add((ds, DCAT.contactPoint, contact))
        g.add((ds, DCAT.theme, theme))
        g.add((ds, DCT.language, EU_LANG.DAN))
        g.add((ds, DCT.issued, ISSUED))
        g.add((ds, DCT.accrualPeriodicity, freq))
        g.add((ds, DCT.identifier, Literal(f"digikort-{d['slug']}")))
        g.add((ds, DCAT.keyword, Literal("digitalisering", lang="da")))
        g.add((ds, DCAT.keyword, Literal("digitalisation", lang="en")))
        if d.get("page"):  # the public page the facts were taken from
            g.add((ds, FOAF.page, URIRef(d["page"])))
            g.add((URIRef(d["page"]), RDF.type, FOAF.Document))
        if d["slug"] == "digikort":
            g.add((service, DCAT.servesDataset, ds))
        for name in d["dumps"]:
            dump = dumps.get(store, name)
            if dump is None:
                continue
            dist = URIRef(f"{doc}#distribution-{name.replace('/', '-')}")
            _distribution(g, dist, base + "/dumps/" + name, dump)
            g.add((ds, DCAT.distribution, dist))
        if d.get("shapes"):
            from .. import resources

            for path in resources.rdf_files("shapes"):
                dist = URIRef(f"{doc}#distribution-shapes-{path.stem}")
                body = path.read_bytes()
                _distribution(g, dist, f"{base}/dumps/shapes/{path.name}",
                              dumps.Dump(path.name, "text/turtle", body, False))
                g.add((ds, DCAT.distribution, dist))
        if d["slug"] == "digikort":
            sparql = URIRef(f"{doc}#distribution-sparql")
            g.add((ds, DCAT.distribution, sparql))
            g.add((sparql, RDF.type, DCAT.Distribution))
            _title(g, sparql, "SPARQL-endpoint", "SPARQL endpoint")
            g.add((sparql, DCAT.accessURL, URIRef(base + "/sparql")))
            g.add((sparql, DCAT.accessService, service))
            g.add((sparql, DCT.license, LICENCE))
    return g


def _title(g, s, da, en):
    g.add((s, DCT.title, Literal(da, lang="da")))
    g.add((s, DCT.title, Literal(en, lang="en")))


def _desc(g, s, da, en):
    g.add((s, DCT.description, Literal(da, lang="da")))
    g.add((s, DCT.description, Literal(en, lang="en")))


def _distribution(g, dist, url, dump):
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.accessURL, URIRef(url)))
    g.add((dist, DCAT.downloadURL, URIRef(url)))
    g.add((URIRef(url), RDF.type, RESOURCE))
    media = URIRef(IANA + dump.media_type)
    g.add((dist, DCAT.mediaType, media))
    g.add((media, RDF.type, DCT.MediaType))
    file_type = EU_FT[_FILE_TYPES.get(dump.media_type, "RDF_TURTLE")]
    g.add((dist, DCT.format, file_type))
    g.add((file_type, RDF.type, DCT.MediaTypeOrExtent))
    g.add((file_type, SKOS.prefLabel, Literal(_FILE_TYPES.get(dump.media_type, "RDF_TURTLE"), lang="en")))
    if dump.gzipped:
        gz = URIRef(IANA + "application/gzip")
        g.add((dist, DCAT.compressFormat, gz))
        g.add((gz, RDF.type, DCT.MediaType))
    g.add((dist, DCAT.byteSize, Literal(len(dump.body), datatype=XSD.nonNegativeInteger)))
    g.add((dist, DCT.license, LICENCE))
    g.add((dist, DCT.title, Literal(dump.name, lang="en")))
    # one checksum (DCAT-AP allows one); SHA-1 as DCAT-AP-DK requires
    c = BNode()
    g.add((dist, SPDX.checksum, c))
    g.add((c, RDF.type, SPDX.Checksum))
    g.add((c, SPDX.algorithm, SPDX.checksumAlgorithm_sha1))
    g.add((c, SPDX.checksumValue, Literal(dump.sha1, datatype=XSD.hexBinary)))
