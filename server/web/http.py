"""Cross-cutting HTTP behaviour: CORS for every answer, gzip for large bodies."""
from __future__ import annotations

import gzip

from flask import Flask, request

_MIN_GZIP = 1024
_CORS = {"Access-Control-Allow-Origin": "*",
         "Access-Control-Expose-Headers": "ETag, Link, Location, Content-Location, Vary"}


def register(app: Flask) -> None:
    @app.after_request
    def cors_and_gzip(resp):
        resp.headers.extend(_CORS)
        if request.method == "OPTIONS":
            resp.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, PUT, DELETE, OPTIONS"
            resp.headers["Access-Control-Allow-Headers"] = "Accept, Authorization, Content-Type, If-None-Match"
            resp.headers["Access-Control-Max-Age"] = "86400"
        if ("gzip" in request.environ.get("HTTP_ACCEPT_ENCODING", "") and not resp.direct_passthrough
                and resp.status_code == 200 and "Content-Encoding" not in resp.headers
                and request.method != "HEAD"):
            body = resp.get_data()
            if len(body) >= _MIN_GZIP:
                resp.set_data(gzip.compress(body, compresslevel=5))
                resp.headers["Content-Encoding"] = "gzip"
            resp.vary.add("Accept-Encoding")
        return resp
