"""The third-party plug-in, installed for real with pip into a temporary folder.

The project's virtual environment is never touched: the package goes to ``--target`` and
that folder is put on ``sys.path`` (in-process tests) or ``PYTHONPATH`` (subprocesses), where
importlib.metadata finds its dist-info and entry points.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PLUGINS = Path(__file__).parent
HELLO_PACKAGE = PLUGINS / "civicllm-hello"
HELLO_PACK = PLUGINS / "hello-pack"


@pytest.fixture(scope="session")
def hello_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install civicllm-hello into a fresh folder with pip and return that folder."""
    work = tmp_path_factory.mktemp("civicllm-hello")
    # Build from a copy: an in-tree build would leave build/ and egg-info in the repository.
    source = shutil.copytree(HELLO_PACKAGE, work / "source")
    site = work / "site"
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation"]
    command += ["--no-index", "--quiet", "--target", str(site), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert list(site.glob("civicllm_hello-*.dist-info/entry_points.txt")), sorted(site.iterdir())
    return site


@pytest.fixture
def hello_installed(hello_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Make the installed plug-in visible to this process for one test."""
    monkeypatch.syspath_prepend(str(hello_site))
    yield hello_site
    for name in [
        m for m in sys.modules if m == "civicllm_hello" or m.startswith("civicllm_hello.")
    ]:
        del sys.modules[name]  # the next test without the plug-in cannot import it either


@pytest.fixture
def units_home(tmp_path: Path) -> Path:
    """Return a home directory whose packs/ holds the pack naming units/convert."""
    home = tmp_path / "civic-home"
    shutil.copytree(HELLO_PACK, home / "packs" / HELLO_PACK.name)
    return home
