"""Serving overhead: the llama.cpp binding alone vs the same model through `civicllm serve`.

The same prompts (temperature 0, fixed seed, max 128 tokens) are sent (a) straight to the
xllamacpp binding from threads and (b) through `civicllm serve` with the official openai
client, at several concurrencies. Reports aggregate tokens/s, time to first token p50/p95,
the ratio (b)/(a) of wall time, and the server's peak RSS. Writes bench/results/serving.json.

    python bench/serving.py [--prompts 20] [--max-tokens 128] [--concurrency 1 4 16]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
TOPICS = [
    "what the FAFSA is",
    "how a Pell Grant works",
    "who counts as an independent student",
    "why deadlines matter",
    "how to save money in college",
    "what work-study means",
    "how interest on a loan grows",
    "what a budget is",
    "how to compare two colleges",
    "why a library card is useful",
    "how to read a tax form",
    "what a scholarship is",
    "how to choose a major",
    "what a credit hour is",
    "how to ask for help at school",
    "what community college offers",
    "how to plan a week of study",
    "what a transcript is",
    "how to avoid student aid scams",
    "what a cost of attendance includes",
]


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) by linear interpolation."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def prompts(n: int) -> list[str]:
    """Return n fixed prompts."""
    return [f"Explain in a short paragraph {TOPICS[i % len(TOPICS)]}." for i in range(n)]


def run_pool(work: Any, items: list[str], concurrency: int) -> tuple[float, list[dict[str, float]]]:
    """Run work(item) for every item with the given concurrency; return wall time and results."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(work, items))
    return time.perf_counter() - started, results


def bench_binding(
    model: Path, items: list[str], levels: list[int], args: argparse.Namespace
) -> dict[int, Any]:
    """Measure the xllamacpp binding directly."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.n_parallel = args.parallel
    params.n_ctx = args.ctx_size * args.parallel
    params.cpuparams.n_threads = os.cpu_count() or 1
    params.cpuparams_batch.n_threads = os.cpu_count() or 1
    params.warmup = False
    params.verbosity = -1
    server = xllamacpp.Server(params)

    def work(prompt: str) -> dict[str, float]:
        started = time.perf_counter()
        first: list[float] = []
        tokens = [0]

        def on_chunk(data: Any) -> bool:
            for choice in data.get("choices", []):
                if (choice.get("delta") or {}).get("content") and not first:
                    first.append(time.perf_counter() - started)
            if data.get("usage"):
                tokens[0] = data["usage"]["completion_tokens"]
            return False

        body = {
            "messages": [{"role": "user", "content": prompt}],
            "max_tokens": args.max_tokens,
            "temperature": 0.0,
            "seed": 42,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        server.handle_chat_completions(body, on_chunk)
        return {"ttft": first[0] if first else float("nan"), "tokens": tokens[0]}

    work(items[0])  # warm up once, as the server is warmed by its readiness check
    out = {}
    for level in levels:
        wall, results = run_pool(work, items, level)
        out[level] = summarize(wall, results)
    return out


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    """Return a process's peak resident set size in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_server(
    model: Path, items: list[str], levels: list[int], args: argparse.Namespace
) -> tuple[dict[int, Any], float, float]:
    """Measure the same prompts through `civicllm serve` with the openai client."""
    import openai

    port = free_port()
    home = ROOT / "bench" / "results" / "serving-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVICLLM_")}
    env["CIVICLLM_RATE_LIMIT_PER_MINUTE"] = "0"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "civicllm",
            "serve",
            "--port",
            str(port),
            "--home",
            str(home),
            "--model",
            str(model),
            "--parallel",
            str(args.parallel),
            "--ctx-size",
            str(args.ctx_size),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        idle_rss = peak_rss_mb(process.pid)
        client = openai.OpenAI(base_url=url + "/v1", api_key="x", max_retries=0, timeout=600)
        model_name = model.stem

        def work(prompt: str) -> dict[str, float]:
            started = time.perf_counter()
            ttft = float("nan")
            tokens = 0
            stream = client.chat.completions.create(
                model=model_name,
                messages=[{"role": "user", "content": prompt}],
                max_tokens=args.max_tokens,
                temperature=0.0,
                seed=42,
                stream=True,
                stream_options={"include_usage": True},
            )
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content and ttft != ttft:
                    ttft = time.perf_counter() - started
                if chunk.usage:
                    tokens = chunk.usage.completion_tokens
            return {"ttft": ttft, "tokens": tokens}

        work(items[0])
        out = {}
        for level in levels:
            wall, results = run_pool(work, items, level)
            out[level] = summarize(wall, results)
        return out, peak_rss_mb(process.pid), idle_rss
    finally:
        process.terminate()
        process.wait(timeout=30)


def summarize(wall: float, results: list[dict[str, float]]) -> dict[str, float]:
    """Return tokens/s and time-to-first-token percentiles of one run."""
    tokens = sum(r["tokens"] for r in results)
    ttfts = [r["ttft"] for r in results if r["ttft"] == r["ttft"]]
    return {
        "wall_s": wall,
        "tokens": tokens,
        "tokens_per_s": tokens / wall,
        "ttft_p50_ms": percentile(ttfts, 50) * 1000,
        "ttft_p95_ms": percentile(ttfts, 95) * 1000,
    }


def main() -> None:
    """Run the benchmark and print the table."""
    from civicllm.config import MODEL_INSTALL_COMMAND, default_model_path

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prompts", type=int, default=20)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--parallel", type=int, default=16, help="llama.cpp slots on both sides")
    parser.add_argument("--ctx-size", type=int, default=512)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    model = args.model or default_model_path()
    if model is None:
        sys.exit(f"error: no model; run {MODEL_INSTALL_COMMAND!r} or pass --model")
    items = prompts(args.prompts)
    baseline = bench_binding(model, items, args.concurrency, args)
    served, peak_rss, idle_rss = bench_server(model, items, args.concurrency, args)
    rows = []
    print(
        f"model {model.name}, {len(items)} prompts, max {args.max_tokens} tokens, "
        f"{os.cpu_count()} cores, {args.parallel} slots"
    )
    print(
        f"{'conc':>4} | {'(a) binding tok/s':>17} | {'(b) serve tok/s':>15} | "
        f"{'(a) TTFT p50/p95 ms':>19} | {'(b) TTFT p50/p95 ms':>19} | {'ratio b/a wall':>14}"
    )
    for level in args.concurrency:
        a, b = baseline[level], served[level]
        ratio = b["wall_s"] / a["wall_s"]
        rows.append({"concurrency": level, "binding": a, "serve": b, "overhead_ratio": ratio})
        print(
            f"{level:>4} | {a['tokens_per_s']:>17.1f} | {b['tokens_per_s']:>15.1f} | "
            f"{a['ttft_p50_ms']:>8.0f} / {a['ttft_p95_ms']:<8.0f} | "
            f"{b['ttft_p50_ms']:>8.0f} / {b['ttft_p95_ms']:<8.0f} | {ratio:>14.3f}"
        )
    print(f"server peak RSS: {peak_rss:.0f} MB (after loading, before requests: {idle_rss:.0f} MB)")
    out = ROOT / "bench" / "results" / "serving.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "model": model.name,
                "prompts": len(items),
                "max_tokens": args.max_tokens,
                "parallel": args.parallel,
                "baseline": "xllamacpp binding called directly from threads",
                "rows": rows,
                "server_peak_rss_mb": peak_rss,
                "server_idle_rss_mb": idle_rss,
            },
            indent=2,
        )
    )
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
