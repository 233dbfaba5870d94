"""small-business/programs over POST /v1/tools/small-business/programs and the CLI."""

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
URL = "/v1/tools/small-business/programs"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def home(
    isolated_environment: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    monkeypatch.setenv("CIVICLLM_HOME", str(tmp_path / "home"))
    yield tmp_path / "home"


@pytest.fixture
async def client(home: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(engine="echo", home=home, grounding=False))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://civic.test") as c:
            yield c


async def test_the_tool_is_listed(client: httpx.AsyncClient) -> None:
    tools = (await client.get("/v1/tools")).json()["data"]
    tool = next(t for t in tools if t["id"] == "small-business/programs")
    assert tool["input_schema"]["additionalProperties"] is False
    assert "loan_amount" in tool["input_schema"]["properties"]


async def test_a_screening_over_http_with_its_view(client: httpx.AsyncClient) -> None:
    request = {
        "for_profit": True,
        "us_based": True,
        "is_small": True,
        "loan_amount": 60000,
        "programs": ["7a", "microloan"],
        "wants_grant": True,
    }
    response = await client.post(URL + "?language=fr", json=request)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [p["status"] for p in body["programs"]] == ["likely_eligible", "not_eligible"]
    assert body["grants"]["sba_gives_start_up_grants"] is False
    assert any("subventions" in s for s in body["view"]["sentences"])
    assert 50000 in [f["value"] for f in body["view"]["figures"]]


async def test_bad_fields_are_one_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        URL, json={"loan_amount": -1, "women_share": 150, "programs": ["9b"]}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "loan_amount" and error["type"] == "invalid_request_error"
    assert "women_share" in error["message"] and "programs.0" in error["message"]


def test_cli_names_every_bad_field(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps({"employees": -3, "as_of": "soon"}), encoding="utf-8")
    code = main(["tool", "run", "small-business/programs", "--input", str(path)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert len(err) == 2 and any("'employees'" in line for line in err)
