"""The peer the SPARQL service is measured against: a bare Flask app that only runs
pyoxigraph and serialises the result (the limit of our stack). Not part of Digikort.

    DATA=file.nq gunicorn -k gthread -w 2 --threads 4 -b 127.0.0.1:PORT bench.bare_app:app
"""
import os

import pyoxigraph as ox
from flask import Flask, Response, request

store = ox.Store()
for path in os.environ["DATA"].split(","):
    store.bulk_load(path=path, format=ox.RdfFormat.from_extension(path.rsplit(".", 1)[-1]))
app = Flask(__name__)


@app.route("/sparql", methods=["GET", "POST"])
def sparql():
    result = store.query(request.values["query"], use_default_graph_as_union=True)
    return Response(result.serialize(format=ox.QueryResultsFormat.JSON), mimetype="application/sparql-results+json")
