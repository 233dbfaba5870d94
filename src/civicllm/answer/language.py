"""Deprecated: import ``detect_language`` and ``SUPPORTED_LANGUAGES`` from civicllm.language.

A re-export kept only while grounded.py and loop.py still import from here; it goes once
they import ``civicllm.language`` directly. Add nothing to it.
"""

from __future__ import annotations

from civicllm.language import SUPPORTED_LANGUAGES, detect_language

__all__ = ["SUPPORTED_LANGUAGES", "detect_language"]
