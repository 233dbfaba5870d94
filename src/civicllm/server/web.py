"""The citizen web page: GET / and its static assets under /static/.

The page is plain HTML, CSS and JavaScript (no framework, no build step). It sets no cookies
and keeps answers in the page's memory only; the headers below forbid inline scripts, framing
and referrers, so nothing typed into the page leaks to another site.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from civicllm.errors import NotFoundError

__all__ = ["WEB_DIR", "router"]

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
STATIC_DIR = WEB_DIR / "static"

MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}

router = APIRouter(include_in_schema=False)


@router.get("/")
def show_page() -> Response:
    """Serve the citizen page."""
    page = WEB_DIR / "index.html"
    headers = SECURITY_HEADERS | {"Cache-Control": "no-store"}
    return FileResponse(page, media_type="text/html; charset=utf-8", headers=headers)


@router.get("/static/{path:path}")
def show_asset(path: str) -> Response:
    """Serve one static asset of the page; only plain files under the static folder."""
    target = find_asset(path)
    if target is None:
        named = f"file '{path}'" if path.isprintable() and len(path) <= 200 else "such file"
        raise NotFoundError(f"There is no {named} on this page.", param="path")
    headers = SECURITY_HEADERS | {"Cache-Control": "public, max-age=300"}
    return FileResponse(target, media_type=MEDIA_TYPES[target.suffix], headers=headers)


def find_asset(path: str) -> Path | None:
    """Return the static file ``path`` names, or None for anything else.

    A name with a NUL or other control character, or one too long for the file system, is
    no file of ours; the operating system would refuse it with an error, not an answer.
    """
    if not path or not path.isprintable():
        return None
    try:
        target = (STATIC_DIR / path).resolve()
        found = target.is_relative_to(STATIC_DIR) and target.is_file()
    except (OSError, ValueError):
        return None
    return target if found and target.suffix in MEDIA_TYPES else None
