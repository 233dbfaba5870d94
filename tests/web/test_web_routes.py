"""The page's routes and translations, in-process (no browser)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civicllm.config import Settings
from civicllm.server import create_app
from civicllm.server.web import STATIC_DIR, WEB_DIR

LANGUAGES = ("en", "es", "fr", "de")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(engine="echo", home=tmp_path / "home", grounding=False))
    yield TestClient(app)


def test_page_is_served_with_strict_headers_and_no_cookie(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "set-cookie" not in response.headers
    assert '<html lang="en">' in response.text


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/static/app.js", "text/javascript"),
        ("/static/style.css", "text/css"),
        ("/static/i18n/es.json", "application/json"),
    ],
)
def test_assets_are_served_with_their_type(client: TestClient, path: str, kind: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(kind)


@pytest.mark.parametrize(
    "path",
    ["/static/../index.html", "/static/%2e%2e/index.html", "/static/nope.js", "/static/i18n"],
)
def test_only_static_files_are_served(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def load_strings(language: str) -> dict[str, str]:
    data = json.loads((STATIC_DIR / "i18n" / f"{language}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_language_has_every_string() -> None:
    english = load_strings("en")
    for language in LANGUAGES[1:]:
        strings = load_strings(language)
        assert set(strings) == set(english), language
        same = [k for k in english if strings[k] == english[k] and len(english[k]) > 12]
        assert same == [], f"{language} leaves these in English: {same}"


def test_every_string_the_page_uses_exists() -> None:
    html = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    script = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    used = set(re.findall(r'data-i18n="([a-z_]+)"', html))
    used |= set(re.findall(r'\bt\("([a-z_]+)"', script))
    used |= set(re.findall(r'(?:date|money|integer): "([a-z_]+)"', script))
    assert len(used) > 30
    for language in LANGUAGES:
        missing = used - set(load_strings(language))
        assert missing == set(), (language, missing)


def test_page_keeps_nothing_in_browser_storage() -> None:
    script = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    for forbidden in (
        "localStorage",
        "sessionStorage",
        "document.cookie",
        "history.pushState",
        "history.replaceState",
        "location.hash",
        "indexedDB",
    ):
        code = "\n".join(line for line in script.splitlines() if not line.strip().startswith("//"))
        assert forbidden not in code, forbidden
