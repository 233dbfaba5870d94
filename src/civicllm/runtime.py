"""One runtime for the server, the CLI, evals and benchmarks: engine, tools, packs, answerer.

``open_runtime(settings)`` reads the plug-in registry, checks the packs' tools against it,
opens the engine (loading a model is the slow part: open one runtime and keep it) and the
grounded answerer. The server holds one on its state; ``civicllm chat`` one per session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from civicllm.config import Settings
from civicllm.engines import Engine
from civicllm.packs.loader import Pack, load_packs
from civicllm.tools.base import Tool
from civicllm.tools.registry import Registry, load_registry

if TYPE_CHECKING:
    from civicllm.answer.loop import Answerer
    from civicllm.retrieval.index import Index

__all__ = ["Runtime", "open_runtime", "open_settings_index"]


@dataclass
class Runtime:
    """An engine, the tools, the packs, and the grounded answerer when retrieval is on.

    Example::

        runtime = open_runtime(Settings(engine="echo"))
        try:
            runtime.tool("student-aid/estimate").run({...})
        finally:
            await runtime.aclose()
    """

    settings: Settings
    engine: Engine
    packs: dict[str, Pack]
    registry: Registry
    answerer: Answerer | None = None

    @property
    def tools(self) -> dict[str, Tool]:
        """Return the installed tools by id."""
        return self.registry.tools

    def tool(self, tool_id: str, *, param: str = "tool") -> Tool:
        """Return one tool; NotFoundError (naming ``param``) listing the installed ones."""
        return self.registry.tool(tool_id, param=param)

    async def aclose(self) -> None:
        """Release the engine and the answerer's index."""
        if self.answerer is not None and hasattr(self.answerer, "close"):
            self.answerer.close()
        await self.engine.close()


def open_runtime(settings: Settings, engine: Engine | None = None) -> Runtime:
    """Create the runtime the settings describe (an engine may be passed in, for tests)."""
    registry = load_registry()
    # Packs first: a pack naming a missing tool fails before a model is loaded.
    packs = load_packs(settings, registry.tools)
    engine = engine if engine is not None else registry.load_engine(settings)
    return Runtime(
        settings=settings,
        engine=engine,
        packs=packs,
        registry=registry,
        answerer=make_answerer(settings, engine, packs, registry.tools),
    )


def make_answerer(
    settings: Settings,
    engine: Engine,
    packs: Mapping[str, Pack],
    tools: Mapping[str, Tool] | None = None,
) -> Answerer | None:
    """Return the grounded answerer for packs, or None when grounding is switched off.

    Each assistant's answer mode follows ``settings.answer_mode`` and its eval gate record.
    """
    if not settings.grounding:
        return None
    from civicllm.answer.grounded import GroundedAnswerer
    from civicllm.evals.gate import answer_modes

    chosen = answer_modes(settings.home, packs, engine, settings.answer_mode)
    return GroundedAnswerer(
        engine,
        open_settings_index(settings),
        modes={pack: mode for pack, (mode, _) in chosen.items()},
        gates={pack: record for pack, (_, record) in chosen.items()},
        tools=tools,
    )


def open_settings_index(settings: Settings) -> Index:
    """Open the retrieval index the settings name: PostgreSQL at ``index_url``, else SQLite."""
    if settings.index_url:
        from civicllm.retrieval.postgres import open_postgres_index

        return open_postgres_index(settings.index_url)
    from civicllm.retrieval.index import open_index

    return open_index(settings.resolved_index_path)
