"""Writes need the bearer token from Settings.token; with no token configured the
service is read-only."""
from __future__ import annotations

import hmac

from .app import current_settings
from .errors import error_response


def require_token():
    """None when the request may write; otherwise the 401/403 response to send."""
    token = current_settings().token
    if not token:
        return error_response(403, "this service is read-only: start it with a token (--token or DIGIKORT_TOKEN) to allow updates")
    from flask import request

    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        resp = error_response(401, "updates need 'Authorization: Bearer <token>'")
        resp.headers["WWW-Authenticate"] = 'Bearer realm="digikort"'
        return resp
    return None
