"""The evaluation runner on the student-aid pack, with the echo engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicllm.cli import main
from civicllm.config import Settings
from civicllm.errors import NotFoundError
from civicllm.evals import run_suite

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "data" / "student_aid"
VECTORS = VECTORS / "ed_test_vectors.jsonl"


def test_suite_reports_every_metric_and_gates(echo_settings: Settings) -> None:
    if not VECTORS.exists():
        pytest.skip(f"ED test records not found at {VECTORS} (shared/ is not beside the repo)")
    report = run_suite(echo_settings, "student-aid", limit=3, vectors=VECTORS)
    questions = report["questions"]
    assert set(questions["accuracy"]) == {"en", "es", "fr", "de"}
    assert questions["questions"] == 12
    assert all(0.0 <= v <= 1.0 for v in questions["accuracy"].values())
    assert 0.0 <= questions["citation_precision"] <= 1.0
    # The policy and the estimator do not depend on the model: they must be exact.
    assert report["refusals"]["prompts"] == 12
    assert report["refusals"]["refusal_accuracy"] == 1.0, report["refusals"]["failures"]
    assert report["estimator"]["cases"] == 12
    assert report["estimator"]["estimator_accuracy"] == 1.0, report["estimator"]["failures"]
    assert "answer accuracy (es)" in report["table"]
    assert isinstance(report["passed"], bool)


def test_missing_vectors_skip_the_estimator_with_a_reason(
    echo_settings: Settings, tmp_path: Path
) -> None:
    report = run_suite(echo_settings, "student-aid", limit=1, vectors=tmp_path / "none.jsonl")
    assert "not found" in report["estimator"]["skipped"]


def test_unknown_assistant(echo_settings: Settings) -> None:
    with pytest.raises(NotFoundError):
        run_suite(echo_settings, "no-such-pack", limit=1)


def test_cli_eval_prints_the_table(
    seeded_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "eval",
            "student-aid",
            "--engine",
            "echo",
            "--home",
            str(tmp_path),
            "--limit",
            "1",
            "--vectors",
            str(VECTORS),
        ]
    )
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert "refusal accuracy" in out and "citation precision" in out
