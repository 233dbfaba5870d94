"""Proof that tools and engines are plug-ins: a third-party package, installed with pip, works
through the API, the CLI and a pack that names its tool, with no change to civicllm.

The web page's part of the proof (the pack's tool view rendered on the page) belongs to the
page's own tests.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from civicllm.cli import main
from civicllm.config import Settings
from civicllm.errors import ConfigError
from civicllm.packs.loader import load_packs
from civicllm.server import create_app
from civicllm.tools.registry import engine_names, load_registry

pytestmark = pytest.mark.anyio

GOOD_INPUT = {"value": 5, "from": "km", "to": "mi"}
FIVE_KM_IN_MILES = 3.106856  # 5000 m / 1609.344 m, rounded to 6 decimals by the tool


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def client_for(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Yield an in-process client of the app (lifespan run), no port."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://civic.test") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


def run_cli(
    site: Path, home: Path, *argv: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m civicllm`` in a subprocess that sees the plug-in on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVICLLM_")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["CIVICLLM_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "civicllm", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def settings_for(home: Path, **extra: Any) -> Settings:
    """Echo-engine settings without retrieval (the units pack has no sources to index)."""
    return Settings(**{"engine": "echo", "home": home, "grounding": False, **extra})


async def test_the_installed_package_registers_its_tool_and_engine(hello_installed: Path) -> None:
    registry = load_registry()
    assert "units/convert" in registry.tools
    assert "(civicllm-hello 0.1.0)" in registry.providers["units/convert"]
    assert "student-aid/estimate" in registry.tools  # the built-ins are still there
    assert "hello-echo" in engine_names()


async def test_the_tool_and_its_pack_work_through_the_api(
    hello_installed: Path, units_home: Path
) -> None:
    async with client_for(settings_for(units_home)) as client:
        listed = {t["id"]: t for t in (await client.get("/v1/tools")).json()["data"]}
        assert listed["units/convert"]["has_view"] is True
        assert listed["units/convert"]["input_schema"]["required"] == ["value", "from", "to"]
        assert listed["units/convert"]["function"]["name"] == "units__convert"

        response = await client.post("/v1/tools/units/convert?language=es", json=GOOD_INPUT)
        assert response.status_code == 200
        body = response.json()
        assert body["converted"] == FIVE_KM_IN_MILES and body["from"] == "km"
        view = body["view"]
        assert view["title"] == "Conversión de unidades"
        assert [f["value"] for f in view["figures"]] == [5, FIVE_KM_IN_MILES]
        assert view["sentences"] == [f"5 km son {FIVE_KM_IN_MILES} mi."]
        assert view["sources"][0]["url"].startswith("https://www.nist.gov/")

        english = await client.post(
            "/v1/tools/units/convert", json=GOOD_INPUT, headers={"Accept-Language": "en-US"}
        )
        assert english.json()["view"]["title"] == "Unit conversion"

        bad = await client.post("/v1/tools/units/convert", json={"from": "km", "to": "kg"})
        assert bad.status_code == 400
        error = bad.json()["error"]
        assert error["param"] == "value"
        assert "'value' must be a number" in error["message"]
        assert "Cannot convert length (km) to mass (kg)" in error["message"]

        bad_language = await client.post("/v1/tools/units/convert?language=xx", json=GOOD_INPUT)
        assert bad_language.status_code == 400
        assert bad_language.json()["error"]["param"] == "language"

        models = {m["id"]: m for m in (await client.get("/v1/models")).json()["data"]}
        assert models["units"]["civicllm"]["tools"] == ["units/convert"]
        assert models["units"]["civicllm"]["name"] == "Units helper"


def test_the_tool_runs_from_the_cli_with_its_view(hello_site: Path, tmp_path: Path) -> None:
    listed = run_cli(hello_site, tmp_path, "tool", "list")
    assert listed.returncode == 0, listed.stderr
    assert "units/convert\t0.1.0\t" in listed.stdout
    assert "student-aid/estimate" in listed.stdout

    done = run_cli(
        hello_site,
        tmp_path,
        "tool",
        "run",
        "units/convert",
        "--input",
        "-",
        "--view",
        stdin=json.dumps(GOOD_INPUT),
    )
    assert done.returncode == 0, done.stderr
    result_text, view_text = done.stdout.split("\n\n", 1)
    assert json.loads(result_text)["converted"] == FIVE_KM_IN_MILES
    assert view_text.startswith("Unit conversion\n===============\n")
    assert f"5 km is {FIVE_KM_IN_MILES} mi." in view_text
    assert f"Converted  {FIVE_KM_IN_MILES} mi" in view_text
    assert "Both amounts\nunit  amount\n" in view_text  # the table, its caption first
    assert "Notes:\n- Factors are exact" in view_text
    assert "Sources:\n- NIST Special Publication 811" in view_text

    input_file = tmp_path / "bad.json"
    input_file.write_text(json.dumps({"value": "five", "from": "km", "to": "parsec"}))
    bad = run_cli(hello_site, tmp_path, "tool", "run", "units/convert", "--input", str(input_file))
    assert bad.returncode == 2
    assert bad.stdout == ""
    errors = bad.stderr.splitlines()
    assert errors == [
        "error: Field 'value' must be a number.",
        "error: Field 'to' must be one of ft, g, kg, km, lb, m, mi.",
    ]


def test_an_unknown_tool_from_the_cli_lists_the_installed_ones(
    hello_site: Path, tmp_path: Path
) -> None:
    done = run_cli(hello_site, tmp_path, "tool", "run", "units/nope", "--input", "-", stdin="{}")
    assert done.returncode == 2
    assert "There is no tool 'units/nope'" in done.stderr
    assert "student-aid/estimate, units/convert" in done.stderr


def test_a_pack_naming_a_tool_no_package_provides_fails_to_load(units_home: Path) -> None:
    # The plug-in is not on sys.path in this test: the pack's tool is missing.
    with pytest.raises(ConfigError) as caught:
        load_packs(settings_for(units_home))
    message = caught.value.message
    assert "Pack units" in message
    assert "names tool units/convert, which no installed package provides" in message
    installed = message.split("installed: ", 1)[1]
    assert "student-aid/estimate" in installed and "small-business/size-check" in installed
    with pytest.raises(ConfigError, match="names tool units/convert"):
        create_app(settings_for(units_home))


def test_the_cli_says_which_pack_names_a_missing_tool(tmp_path: Path, units_home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "civicllm", "models", "--engine", "echo", "--home", str(units_home)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: Pack units (")
    assert "names tool units/convert, which no installed package provides" in done.stderr


async def test_the_server_loads_its_engine_once(hello_installed: Path, tmp_path: Path) -> None:
    import civicllm_hello.engine as hello_engine

    before = len(hello_engine.LOADS)
    settings = settings_for(tmp_path / "home", engine="hello-echo", model_name="counted")
    async with client_for(settings) as client:
        for turn in range(3):
            reply = await client.post(
                "/v1/chat/completions",
                json={"model": "counted", "messages": [{"role": "user", "content": f"hi {turn}"}]},
            )
            assert reply.status_code == 200, reply.text
            assert reply.json()["choices"][0]["message"]["content"] == f"user: hi {turn}"
        state = client.app.state.civic  # type: ignore[attr-defined]
        assert state.engine is state.runtime.engine
        assert state.tools is state.runtime.registry.tools
    assert hello_engine.LOADS[before:] == ["counted"]


def test_chat_loads_the_model_once_for_the_whole_conversation(
    hello_installed: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import civicllm_hello.engine as hello_engine

    before = len(hello_engine.LOADS)
    monkeypatch.setattr(sys, "stdin", io.StringIO("first\nsecond\nthird\n/quit\n"))
    argv = ["chat", "counted", "--engine", "hello-echo", "--model-name", "counted"]
    assert main([*argv, "--home", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    # Three turns answered (the third echoes the whole conversation), one engine created.
    assert "user: first\nassistant: user: first\nuser: second\nassistant: " in out
    assert out.count("assistant> ") == 3
    assert hello_engine.LOADS[before:] == ["counted"]
