"""Evaluation suites for assistants: answer accuracy, citation precision, refusals, estimator.

``civicllm eval ASSISTANT`` runs the pack's ``evals/`` folder against the configured engine
and prints a table; the same report gates a deployment (``passed``).
"""

from __future__ import annotations

from civicllm.evals.runner import run_suite

__all__ = ["run_suite"]
