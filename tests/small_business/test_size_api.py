"""The spec's example through POST /v1/tools/small-business/size-check and the CLI."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from civicllm.cli import main
from civicllm.config import Settings
from civicllm.server import create_app

pytestmark = pytest.mark.anyio

SPEC_REQUEST: dict[str, Any] = {
    "naics": "541511",
    "exception": None,
    "receipts": {
        "fiscal_years": [30000000, 31000000, 33000000, 34000000, 36000000],
        "weeks_in_business": None,
    },
    "employees": {"pay_periods": [120, 118, 125]},
    "assets": {"quarters": [800000000, 820000000, 840000000, 860000000]},
    "affiliates": [{"receipts": {"fiscal_years": [1000000, 1000000, 1000000, 1000000, 1000000]}}],
    "as_of": "2026-12-01",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def size_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("size-home")


@pytest.fixture(autouse=True)
def shared_home(
    isolated_environment: None, size_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("CIVICLLM_HOME", str(size_home))
    yield


@pytest.fixture
async def client(size_home: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(engine="echo", home=size_home, grounding=False))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://civic.test") as c:
            yield c


async def test_spec_example_round_trips_over_http(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/tools/small-business/size-check", json=SPEC_REQUEST)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["small"] is True
    assert body["naics"] == {
        "code": "541511",
        "title": "Custom Computer Programming Services",
        "exception": None,
    }
    assert body["size_standard"] == {
        "measure": "receipts",
        "limit": 34000000,
        "table": "SBA Table of Size Standards, effective 2023-03-17",
    }
    assert body["measured"] == {
        "value": 33800000,
        "method": "average annual receipts over 5 fiscal years, affiliates included",
    }
    assert body["margin"] == 200000
    assert body["footnotes"] == []
    assert {
        "title": "13 CFR 121.104",
        "url": "https://www.ecfr.gov/current/title-13/section-121.104",
    } in body["citations"]
    assert body["worksheet"][0]["line"] == "R1"
    assert 33800000 in [figure["value"] for figure in body["view"]["figures"]]


async def test_the_view_follows_the_asked_language(client: httpx.AsyncClient) -> None:
    url = "/v1/tools/small-business/size-check"
    spanish = (await client.post(url + "?language=es", json=SPEC_REQUEST)).json()["view"]
    assert "33.800.000 $" in spanish["sentences"][0]


async def test_bad_input_is_a_400_naming_the_first_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/tools/small-business/size-check",
        json={"naics": "5415", "receipts": {"fiscal_years": [-1]}},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "naics" and error["type"] == "invalid_request_error"
    assert "6-digit" in error["message"] and "receipts.fiscal_years.0" in error["message"]


def test_cli_lists_every_bad_field_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "input.json"
    path.write_text(
        json.dumps(
            {
                "naics": "541330",
                "exception": 9,
                "receipts": {"fiscal_years": [1.5, -3]},
                "as_of": "yesterday",
            }
        ),
        encoding="utf-8",
    )
    code = main(["tool", "run", "small-business/size-check", "--input", str(path)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert all(line.startswith("error: ") for line in err)
    for field in ("as_of", "exception", "receipts.fiscal_years.0", "receipts.fiscal_years.1"):
        assert any(f"'{field}'" in line for line in err), field
    assert len(err) == 4


def test_cli_prints_the_result_and_its_view(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(SPEC_REQUEST), encoding="utf-8")
    code = main(
        [
            "tool",
            "run",
            "small-business/size-check",
            "--input",
            str(path),
            "--view",
            "--language",
            "de",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert json.loads(out[: out.index("\n}\n") + 2])["margin"] == 200000
    assert "Klein: " in out and "33.800.000 $" in out
