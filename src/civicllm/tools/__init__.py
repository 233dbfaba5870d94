"""Typed, versioned, audited tools: pure functions the API, CLI, web page and model all call.

A tool is registered as a :class:`Tool`; :func:`load_tools` returns every built-in one by id.
"""

from __future__ import annotations

from civicllm.tools.base import Tool, load_tools

__all__ = ["Tool", "load_tools"]
