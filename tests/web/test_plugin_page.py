"""The page serves a third-party package's assistant without any change to civicllm's code.

civicllm-hello (tests/plugins) is installed with pip into a temporary folder, its pack
(units, naming the plug-in's units/convert tool) is put in the home directory, and a real
server answers a question the plug-in's tool routes, on the page, in headless Chromium.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.plugins.conftest import hello_installed, hello_site, units_home
from tests.web.conftest import save_screenshot, serve

pytestmark = pytest.mark.browser

__all__ = ["hello_installed", "hello_site", "units_home"]  # fixtures used below


@pytest.fixture
def plugin_url(hello_installed: Path, units_home: Path, builtin_index: Path) -> Iterator[str]:
    """Serve the app with the plug-in installed and its pack in the home directory."""
    from civicllm.config import Settings
    from civicllm.server import create_app

    shutil.copyfile(builtin_index, units_home / "index.sqlite")
    settings = Settings(engine="echo", home=units_home, rate_limit_per_minute=0)
    with serve(create_app(settings)) as url:
        yield url


def test_a_plugin_assistant_answers_on_the_page_with_its_tool(
    browser: Any, plugin_url: str
) -> None:
    from civicllm_hello import convert

    context = browser.new_context(viewport={"width": 360, "height": 760}, base_url=plugin_url)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto("/")
        page.wait_for_selector("body[data-ready='true']")
        # The plug-in's pack is listed beside the built-in assistants, and can be chosen.
        options = page.locator("#assistant option")
        assert "units" in [options.nth(i).get_attribute("value") for i in range(options.count())]
        page.select_option("#assistant", "units")
        page.fill("#question", "Convert 5 km to mi")
        page.click("#ask-button")
        page.wait_for_selector(".message.assistant[aria-busy='false']", timeout=90_000)
        reply = page.locator(".message.assistant").last
        assert "error" not in (reply.get_attribute("class") or "")
        text = reply.locator(".text").inner_text()
        # The number is the plug-in tool's, computed here by the same function.
        expected = convert({"value": 5, "from": "km", "to": "mi"})
        figures = [f"{v:g}" for v in _numbers(expected)]
        assert any(figure in text for figure in figures), (text, figures)
        save_screenshot(page, "plugin-assistant")
    finally:
        context.close()


def _numbers(result: Any) -> list[float]:
    """Return every number in a JSON-like result."""
    if isinstance(result, bool):
        return []
    if isinstance(result, int | float):
        return [float(result)]
    if isinstance(result, dict):
        return [n for value in result.values() for n in _numbers(value)]
    if isinstance(result, list):
        return [n for value in result for n in _numbers(value)]
    return []
