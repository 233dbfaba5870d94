"""small-business/naics-search over HTTP (POST /v1/tools/...) and the CLI."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from civicllm.cli import main
from civicllm.config import Settings
from civicllm.server import create_app

pytestmark = pytest.mark.anyio
URL = "/v1/tools/small-business/naics-search"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def naics_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("naics-api-home")


@pytest.fixture(autouse=True)
def shared_home(
    isolated_environment: None, naics_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("CIVICLLM_HOME", str(naics_home))
    yield


@pytest.fixture
async def client(naics_home: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(engine="echo", home=naics_home, grounding=False))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://civic.test") as c:
            yield c


async def test_the_spec_request_round_trips(client: httpx.AsyncClient) -> None:
    response = await client.post(
        URL + "?language=fr", json={"query": "we bake bread for supermarkets", "limit": 5}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    first = body["results"][0]
    assert first["code"] == "311812" and first["title"] == "Commercial Bakeries"
    assert first["size_standard"]["measure"] == "employees"
    assert first["size_standard"]["limit"] == 1000
    assert 0 < first["score"] <= 1
    assert body["view"]["sentences"][0].startswith("311812 Commercial Bakeries : petite")


async def test_an_empty_query_is_a_400_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.post(URL, json={"query": "  ", "limit": 50})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "query" and error["type"] == "invalid_request_error"
    assert "'limit'" in error["message"]


def test_cli_lists_every_bad_field_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps({"query": "", "limit": 0, "as_of": "soon"}), encoding="utf-8")
    code = main(["tool", "run", "small-business/naics-search", "--input", str(path)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    for field in ("query", "limit", "as_of"):
        assert any(f"'{field}'" in line for line in err), field
