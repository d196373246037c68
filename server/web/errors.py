"""Every error a client sees is a short message, never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("digikort")


def error_response(status: int, message: str):
    """Plain text for most clients; JSON when the client prefers JSON."""
    best = request.accept_mimetypes.best_match(["text/plain", "application/json"], default="text/plain")
    if best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/plain"]:
        resp = jsonify(error=message, status=status)
    else:
        resp = Flask.response_class(message.rstrip() + "\n", mimetype="text/plain")
    resp.status_code = status
    return resp


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        resp = error_response(exc.code or 500, exc.description or exc.name)
        if exc.code == 405 and exc.valid_methods:
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal error: the server could not answer this request")
