"""Assistants as data: each pack is a folder with the same file names.

    <pack-id>/
      pack.yaml        id, name, description, languages, system_prompt, tools, scope
      sources/         documents the assistant answers from (Markdown, PDF, HTML, DOCX, text)
      flows/           guided conversations (YAML)
      evals/           evaluation cases (YAML)

Built-in packs live in this package; packs a user adds live in ``$CIVICLLM_HOME/packs``.
"""

from __future__ import annotations

from civicllm.packs.loader import Pack, create_pack, load_pack, load_packs

__all__ = ["Pack", "create_pack", "load_pack", "load_packs"]
