"""The runtime opens the index the settings name: an agency's PostgreSQL by ``index_url``.

Against a real PostgreSQL 16 with pgvector (the pgserver package) on a Unix socket.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import urlsplit

import psycopg  # a test dependency: missing, these tests fail rather than skip
import pytest

from civicllm.cli import main
from civicllm.config import load_settings
from civicllm.errors import ConfigError
from civicllm.packs.loader import create_pack
from civicllm.retrieval.postgres import PostgresIndex
from civicllm.runtime import open_runtime, open_settings_index

pytestmark = pytest.mark.postgres

SOURCES = {
    "dog-license.md": """---
title: Licensing your dog
source_url: https://example.gov/pets/dog-license
language: en
---
## License requirement
Every dog older than four months must have a county license. A license costs $20 for a
spayed or neutered dog and $60 otherwise.
""",
    "library-card.md": """---
title: Getting a library card
source_url: https://example.gov/library/card
language: en
---
## Who can get a card
Anyone who lives, works or studies in the county can get a free library card.
""",
}


def write_sources(folder: Path) -> Path:
    """Write the two articles under ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in SOURCES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def fresh_database(server_uri: str, name: str, *, owner: str | None = None) -> str:
    """Create an empty database (owned by a new login role ``owner``) and return its URL."""
    parts = urlsplit(server_uri)
    with psycopg.connect(server_uri, autocommit=True) as admin:
        admin.execute(f'drop database if exists "{name}"')
        if owner is not None:
            admin.execute(f'drop role if exists "{owner}"')
            admin.execute(f'create role "{owner}" login')
        admin.execute(f'create database "{name}"' + (f' owner "{owner}"' if owner else ""))
    netloc = f"{owner}@" if owner else parts.netloc
    return parts._replace(netloc=netloc, path=f"/{name}").geturl()


def stored_documents(url: str, pack: str) -> list[str]:
    """Return the documents of ``pack`` in the PostgreSQL index at ``url``."""
    with psycopg.connect(url) as db:
        rows = db.execute(
            "select document from civic_documents where pack = %s order by document", (pack,)
        ).fetchall()
    return [str(row[0]) for row in rows]


def test_config_file_index_url_puts_the_runtime_index_in_postgres(
    postgres_uri: str, tmp_path: Path
) -> None:
    url = fresh_database(postgres_uri, "civic_runtime")
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.yaml").write_text(f"engine: echo\nindex_url: '{url}'\n", encoding="utf-8")
    settings = load_settings({"home": str(home)})
    assert settings.index_url == url
    pack = create_pack(settings, "town")
    write_sources(pack.sources_dir)

    runtime = open_runtime(settings)
    try:
        assert isinstance(runtime.answerer.index, PostgresIndex)
        # The first question syncs the pack's sources into PostgreSQL, then searches there.
        found = asyncio.run(runtime.answerer.retrieve(pack, "How much is a dog license?"))
        assert found and found[0].document == "dog-license.md"
    finally:
        asyncio.run(runtime.aclose())
    assert stored_documents(url, "town") == ["dog-license.md", "library-card.md"]
    assert not (home / "index.sqlite").exists()


def test_cli_ingest_and_ask_use_the_index_url_from_the_environment(
    postgres_uri: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = fresh_database(postgres_uri, "civic_cli")
    home = tmp_path / "home"
    monkeypatch.setenv("CIVICLLM_INDEX_URL", url)
    sources = write_sources(tmp_path / "docs")

    assert main(["ingest", str(sources), "--pack", "city", "--home", str(home)]) == 0
    assert "2 added" in capsys.readouterr().out
    assert stored_documents(url, "city") == ["dog-license.md", "library-card.md"]

    question = "How much does a license for a spayed dog cost?"
    argv = ["ask", "city", question, "--engine", "echo", "--home", str(home), "--json"]
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    cited = {c["document"] for c in result["civicllm"]["citations"]}
    assert "dog-license.md" in cited
    assert not (home / "index.sqlite").exists()


@pytest.mark.parametrize("command", ["ingest", "ask"])
def test_unreachable_index_url_is_one_line_and_exit_2(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    monkeypatch.setenv("CIVICLLM_INDEX_URL", "postgresql://civic@127.0.0.1:1/civic")
    home = ["--home", str(tmp_path / "home")]
    sources = write_sources(tmp_path / "docs")
    argv = {
        "ingest": ["ingest", str(sources), "--pack", "city", *home],
        "ask": ["ask", "student-aid", "Is the FAFSA free?", "--engine", "echo", *home],
    }[command]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: Cannot connect to PostgreSQL") and "index_url" in err
    assert "\n" not in err and "Traceback" not in err


def test_database_without_pgvector_is_a_config_error(postgres_uri: str, tmp_path: Path) -> None:
    # pgvector is not a trusted extension: a database owner who is not a superuser cannot
    # create it, so this database stays without it.
    url = fresh_database(postgres_uri, "civic_plain", owner="clerk")
    settings = load_settings({"home": str(tmp_path / "home"), "engine": "echo"}, environ={})
    with pytest.raises(ConfigError, match="create extension vector") as caught:
        open_settings_index(settings.model_copy(update={"index_url": url}))
    assert caught.value.param == "index_url"
