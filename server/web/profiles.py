"""Content negotiation by profile (W3C "Content Negotiation by Profile", 2019 draft):
the HTTP realisation (`Accept-Profile` in, `Content-Profile` out) and the query-string
realisation (`?_profile=<token or URI>`, `?_profile=alt` lists the profiles offered).

    Accept-Profile: <https://data.gov.dk/model/profile/dcat-ap-dk-2.0.2/>;q=1, <http://data.europa.eu/r5r/>;q=0.5

A request naming only profiles the server does not offer gets 406 with the list; no
profile asked for gets the default. Every answer names the profiles offered in `Link`
headers (rel="alternate" per profile with its `profile` parameter, rel="profile" for the one sent).
"""
from __future__ import annotations

import re

from flask import request

ALT = "alt"  # the token of the "alternate profiles" listing


class ProfileNotOffered(Exception):
    """None of the profiles the client accepts is offered (answer 406)."""


def _accepted(header: str) -> list[tuple[float, str]]:
    """`Accept-Profile` as [(q, profile)], best first; profiles are <URI>s or bare tokens."""
    out = []
    for n, part in enumerate(p for p in header.split(",") if p.strip()):
        m = re.match(r"\s*(<[^>]*>|[^;\s]+)\s*(.*)$", part)
        if not m:
            continue
        q = 1.0
        qm = re.search(r";\s*q\s*=\s*([0-9.]+)", m.group(2))
        if qm:
            try:
                q = float(qm.group(1))
            except ValueError:
                q = 0.0
        if q > 0:
            out.append((q, -n, m.group(1).strip("<>")))
    return [(q, name) for q, _, name in sorted(out, reverse=True)]


def negotiate(find, default):
    """The profile to answer with: `find(name)` maps a token/URI to a profile or None.
    Returns ALT for the listing; raises ProfileNotOffered."""
    token = request.args.get("_profile")
    if token is not None:
        if token == ALT:
            return ALT
        profile = find(token)
        if profile is None:
            raise ProfileNotOffered(token)
        return profile
    header = request.headers.get("Accept-Profile")
    if not header:
        return default
    asked = _accepted(header)
    for _, name in asked:
        profile = find(name)
        if profile is not None:
            return profile
    raise ProfileNotOffered(", ".join(name for _, name in asked) or header)


def link_header(url: str, profiles, current=None, media_type: str = "text/turtle") -> str:
    """`Link` values: each profile's representation (alternate), the listing, and the profile sent."""
    sep = "&" if "?" in url else "?"
    links = [f'<{url}{sep}_profile={p.token}>; rel="alternate"; type="{media_type}"; profile="{p.uri}"' for p in profiles]
    links.append(f'<{url}{sep}_profile={ALT}>; rel="alternate"; type="text/html"; title="profiles offered"')
    if current is not None:
        links.append(f'<{current.uri}>; rel="profile"')
    return ", ".join(links)


def stamp(resp, profile, profiles, url: str):
    """Name the profile of an answer and the others offered."""
    if profile is not None:
        resp.headers["Content-Profile"] = f"<{profile.uri}>"
    resp.headers["Link"] = link_header(url, profiles, profile)
    resp.vary.add("Accept")
    resp.vary.add("Accept-Profile")
    return resp
