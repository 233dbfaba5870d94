"""The civicllm command line: serve, ask, chat, verify, models, tool, sai, ingest, eval, keys,
audit (and data, when civicllm.data is installed).

Bad input ends with one line per problem (every bad field of a form) and exit code 2; other
failures with a one-line message and exit code 1.
Never a stack trace.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from civicllm import __version__
from civicllm.config import Settings, load_settings
from civicllm.errors import CivicError, ConfigError, InputError, NotFoundError

if TYPE_CHECKING:
    from civicllm.runtime import Runtime
    from civicllm.tools.view import ToolView

__all__ = ["main"]


class ArgumentError(Exception):
    """argparse found a bad argument."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so errors stay one line."""

    def error(self, message: str) -> Any:
        raise ArgumentError(f"{self.prog}: {message}")


def add_setting_flags(parser: argparse.ArgumentParser) -> None:
    """Add the flags every command that loads a model accepts."""
    parser.add_argument("--home", help="state directory (default ~/.civicllm, or CIVICLLM_HOME)")
    parser.add_argument("--config", type=Path, help="YAML config file")
    parser.add_argument(
        "--engine", help="a registered engine: llama-cpp, openai, echo, or a plug-in's"
    )
    parser.add_argument("--model", help="a GGUF file for the llama-cpp engine")
    parser.add_argument("--model-name", help="the model's name for clients / the remote model")
    parser.add_argument(
        "--base-url", action="append", dest="base_urls", help="OpenAI-compatible endpoint (repeat)"
    )
    parser.add_argument("--parallel", type=int, help="requests generated at once (slots)")
    parser.add_argument("--ctx-size", type=int, help="context tokens per slot")
    parser.add_argument("--threads", type=int, help="CPU threads (0: all)")
    parser.add_argument(
        "--answer-mode",
        choices=["auto", "generate", "extract"],
        help="assistants generate (verified) or quote; auto: generate only after a passed eval",
    )


def settings_from(args: argparse.Namespace, **extra: Any) -> Settings:
    """Build Settings from parsed flags (flag > environment > config file > default)."""
    names = ["home", "engine", "model", "model_name", "base_urls", "parallel", "ctx_size"]
    names += ["threads", "host", "port", "api_keys", "answer_mode"]
    given = {name: getattr(args, name, None) for name in names}
    given.update(extra)
    return load_settings(given, config_file=getattr(args, "config", None))


def build_parser() -> Parser:
    """Return the argument parser of every command."""
    parser = Parser(prog="civicllm", description="Open-weights Llama assistants for the public.")
    parser.add_argument("--version", action="version", version=f"civicllm {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    serve = commands.add_parser("serve", help="run the API and the web page")
    add_setting_flags(serve)
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--api-key", action="append", dest="api_keys", help="require this key")

    for name, help_text in [("ask", "answer one question"), ("chat", "talk in the terminal")]:
        sub = commands.add_parser(name, help=help_text)
        add_setting_flags(sub)
        sub.add_argument("assistant", help="an assistant (pack) id or a raw model name")
        if name == "ask":
            sub.add_argument("question")
        sub.add_argument("--language", help="answer language: en, es, fr or de")
        sub.add_argument("--max-tokens", type=int, default=None)
        sub.add_argument("--temperature", type=float, default=None)
        sub.add_argument("--seed", type=int, default=None)
        sub.add_argument("--json", action="store_true", help="print the whole result as JSON")

    verify = commands.add_parser("verify", help="check text against an assistant's sources")
    add_setting_flags(verify)
    verify.add_argument("assistant", help="an assistant (pack) id")
    given = verify.add_mutually_exclusive_group(required=True)
    given.add_argument("--text", help="the text to check")
    given.add_argument("--file", help="a UTF-8 text file to check, or - for standard input")
    verify.add_argument("--language", choices=["en", "es", "fr", "de"], help="default: detected")
    verify.add_argument("--json", action="store_true", help="print the POST /v1/verify body")

    models = commands.add_parser("models", help="list models and assistants")
    add_setting_flags(models)

    tool = commands.add_parser("tool", help="list the installed tools or run one")
    tool_commands = tool.add_subparsers(dest="tool_command", required=True, parser_class=Parser)
    tool_list = tool_commands.add_parser("list", help="list the installed tools")
    tool_list.add_argument("--json", action="store_true", help="print the GET /v1/tools data")
    tool_run = tool_commands.add_parser("run", help="run a tool on a JSON input")
    tool_run.add_argument("tool_id", metavar="ID", help="a tool id, e.g. student-aid/estimate")
    tool_run.add_argument("--input", required=True, help="a JSON file, or - for stdin")
    tool_run.add_argument("--view", action="store_true", help="also show the result as text")
    tool_run.add_argument("--language", help="the view's language: en, es, fr or de")

    sai = commands.add_parser("sai", help="estimate the Student Aid Index and Pell Grant")
    sai.add_argument("--input", required=True, help="a JSON file (see the spec), or - for stdin")
    sai.add_argument("--json", action="store_true", help="print JSON instead of a worksheet")

    ingest = commands.add_parser("ingest", help="add documents to an assistant's sources")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--pack", required=True, help="assistant id; created if new")
    ingest.add_argument("--home")
    ingest.add_argument("--progress", action="store_true", help="show a progress bar")

    evals = commands.add_parser("eval", help="run an assistant's evaluation suite")
    add_setting_flags(evals)
    evals.add_argument("assistant")
    evals.add_argument("--json", action="store_true")
    evals.add_argument("--limit", type=int, help="at most this many items per language")
    evals.add_argument(
        "--vectors", type=Path, help="ED test records (default ../shared/data/student_aid/...)"
    )

    keys = commands.add_parser("keys", help="manage API keys (stored hashed)")
    keys.add_argument("action", choices=["create", "list"])
    keys.add_argument("name", nargs="?", default="")
    keys.add_argument("--home")

    audit = commands.add_parser("audit", help="check or show the audit log")
    audit.add_argument("action", choices=["verify", "tail"])
    audit.add_argument("--home")
    audit.add_argument("-n", type=int, default=10)

    data_cli = optional_data_cli()
    if data_cli is not None:
        data_cli.add_data_parser(commands)
    return parser


def optional_data_cli() -> Any:
    """Return civicllm.data.cli (the ``civicllm data`` commands) when it is installed."""
    import importlib

    try:
        return importlib.import_module("civicllm.data.cli")
    except ModuleNotFoundError as exc:
        if exc.name in ("civicllm.data", "civicllm.data.cli"):
            return None
        raise


def run_serve(args: argparse.Namespace) -> int:
    """Start the server (blocks until interrupted)."""
    import uvicorn

    from civicllm.server import create_app

    settings = settings_from(args)
    app = create_app(settings)
    print(
        f"civicllm {__version__}: http://{settings.host}:{settings.port}/ "
        f"(engine {settings.engine}, model {settings.served_model_name})",
        file=sys.stderr,
    )
    # uvicorn would believe X-Forwarded-For from 127.0.0.1 on its own; the app decides
    # instead, from the trusted_proxies setting, so a forged header opens no new rate bucket.
    uvicorn.run(
        app, host=settings.host, port=settings.port, log_level="warning", proxy_headers=False
    )
    return 0


def check_assistant(runtime: Runtime, name: str) -> None:
    """Raise NotFoundError unless ``name`` is a pack or the raw model of the runtime."""
    if name not in runtime.packs and name not in runtime.engine.model_names():
        known = sorted([*runtime.packs, *runtime.engine.model_names()])
        raise NotFoundError(f"No assistant or model '{name}'. Try: {', '.join(known)}.")


async def answer_turn(
    runtime: Runtime, args: argparse.Namespace, history: list[dict[str, str]], out: Any
) -> dict[str, Any]:
    """Stream one reply to ``out`` and return the final text and citations."""
    from civicllm.answer.loop import stream_reply
    from civicllm.engines.base import GenerationRequest

    options = GenerationRequest(
        messages=history,
        max_tokens=args.max_tokens or runtime.settings.default_max_tokens,
        temperature=0.7 if args.temperature is None else args.temperature,
        seed=args.seed,
    )
    parts: list[str] = []
    extension: dict[str, Any] = {}
    async for event in stream_reply(
        runtime.engine,
        history,
        options,
        pack=runtime.packs.get(args.assistant),
        language=args.language,
        answerer=runtime.answerer,
    ):
        parts.append(event.text)
        extension = event.extension or extension
        if not args.json:
            out.write(event.text)
            out.flush()
    return {"answer": "".join(parts), "civicllm": extension}


async def ask_once(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """Open the runtime, answer one question (streamed unless --json), and close it."""
    from civicllm.runtime import open_runtime

    runtime = open_runtime(settings)
    try:
        check_assistant(runtime, args.assistant)
        history = [{"role": "user", "content": args.question}]
        return await answer_turn(runtime, args, history, sys.stdout)
    finally:
        await runtime.aclose()


def run_ask(args: argparse.Namespace) -> int:
    """Answer one question, streamed to the terminal."""
    result = asyncio.run(ask_once(args, settings_from(args)))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print()
    return 0


async def chat_session(args: argparse.Namespace, settings: Settings) -> int:
    """Talk over one runtime (the model is loaded once) until end of input or /quit."""
    from civicllm.runtime import open_runtime

    runtime = open_runtime(settings)
    try:
        check_assistant(runtime, args.assistant)
        history: list[dict[str, str]] = []
        print(f"Chatting with {args.assistant}. Type /quit to leave.", file=sys.stderr)
        while True:
            try:
                line = input("you> ").strip()
            except (EOFError, KeyboardInterrupt):
                print(file=sys.stderr)
                return 0
            if line in ("/quit", "/exit"):
                return 0
            if not line:
                continue
            history.append({"role": "user", "content": line})
            sys.stdout.write("assistant> ")
            result = await answer_turn(runtime, args, history, sys.stdout)
            if args.json:
                print(json.dumps(result, ensure_ascii=False))
            else:
                print()
            history.append({"role": "assistant", "content": result["answer"]})
    finally:
        await runtime.aclose()


def run_chat(args: argparse.Namespace) -> int:
    """Talk with an assistant until end of input or /quit."""
    return asyncio.run(chat_session(args, settings_from(args)))


def run_verify(args: argparse.Namespace) -> int:
    """Check a text sentence by sentence; exit 0 when every sentence is supported, else 1."""
    settings = settings_from(args)
    text = args.text if args.text is not None else read_text_input(args.file)
    result = asyncio.run(verify_once(args.assistant, text, args.language, settings))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for sentence in result.sentences:
            sources = ", ".join(
                f"{c.passage.document} § {c.passage.section}" for c in sentence.citations
            )
            line = f"{sentence.reason}: {' '.join(sentence.text.split())}"
            print(f"{line}  [{sources}]" if sources else line)
    return 0 if result.all_supported else 1


async def verify_once(assistant: str, text: str, language: str | None, settings: Settings) -> Any:
    """Return the TextVerification of ``text`` against the assistant's sources."""
    from civicllm.answer.check_text import verify_text
    from civicllm.engines.echo import EchoEngine
    from civicllm.runtime import open_runtime

    if not text.strip():
        raise InputError("The text is empty: give sentences to check.", param="text")
    if len(text) > settings.max_message_chars:
        raise InputError(
            f"The text is longer than {settings.max_message_chars} characters: check it in parts.",
            param="text",
        )
    # No model is called when checking text: the echo engine spares loading one.
    runtime = open_runtime(settings, engine=EchoEngine(settings.served_model_name))
    try:
        pack = runtime.packs.get(assistant)
        if pack is None:
            kind = (
                "is a raw model, not an assistant"
                if assistant == settings.served_model_name
                else "does not exist"
            )
            raise NotFoundError(
                f"'{assistant}' {kind}. Try: {', '.join(sorted(runtime.packs))}.", param="assistant"
            )
        if runtime.answerer is None:
            raise ConfigError("Checking text needs the assistants' sources: turn grounding on.")
        return await verify_text(runtime.answerer, pack, text, language=language)
    finally:
        await runtime.aclose()


def read_text_input(source: str, *, param: str = "file") -> str:
    """Read UTF-8 text from a file path or standard input (``-``)."""
    try:
        return sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Cannot read {source}: {exc.strerror}.", param=param) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} is not UTF-8 text; save it as UTF-8.", param=param) from exc


def run_models(args: argparse.Namespace) -> int:
    """List the raw models and assistants."""
    from civicllm.packs.loader import load_packs

    settings = settings_from(args)
    name = settings.served_model_name
    print(f"{name}\tmodel\t{settings.engine}")
    for pack in load_packs(settings).values():
        print(f"{pack.id}\tassistant\t{pack.name}")
    return 0


def read_json_input(source: str) -> Any:
    """Read a JSON document from a file path or standard input."""
    text = read_text_input(source, param="input")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}).", param="input"
        ) from exc
    except (ValueError, RecursionError) as exc:  # a number of thousands of digits, deep nesting
        raise InputError(
            f"{source} is JSON this command cannot read (nested too deeply or a number too long).",
            param="input",
        ) from exc


def run_sai(args: argparse.Namespace) -> int:
    """Estimate the SAI and Pell Grant from a JSON file."""
    from civicllm.tools import student_aid

    payload = read_json_input(args.input)
    if not isinstance(payload, dict):
        raise InputError("The input must be a JSON object (see the spec).", param="input")
    result = student_aid.estimate(payload)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(student_aid.format_worksheet(result))
    return 0


def run_tool(args: argparse.Namespace) -> int:
    """List the installed tools, or run one on a JSON input and print its result."""
    from civicllm.language import SUPPORTED_LANGUAGES
    from civicllm.tools.registry import load_registry

    registry = load_registry()
    if args.tool_command == "list":
        if args.json:
            listed = [
                {
                    "id": tool.id,
                    "version": tool.version,
                    "description": tool.description,
                    "input_schema": tool.input_schema,
                    "has_view": tool.view is not None,
                    "provided_by": registry.providers.get(tool.id, ""),
                }
                for tool in registry.tools.values()
            ]
            print(json.dumps(listed, indent=2, ensure_ascii=False))
        else:
            for tool_id in sorted(registry.tools):
                tool = registry.tools[tool_id]
                print(f"{tool.id}\t{tool.version}\t{tool.description.splitlines()[0]}")
        return 0
    language = (args.language or "en").lower()
    if language not in SUPPORTED_LANGUAGES:
        raise InputError(
            f"--language must be one of {', '.join(SUPPORTED_LANGUAGES)}.", param="language"
        )
    tool = registry.tool(args.tool_id)
    payload = read_json_input(args.input)
    if not isinstance(payload, dict):
        raise InputError(
            f"The input of {tool.id} must be a JSON object (see 'civicllm tool list --json').",
            param="input",
        )
    result = tool.run(payload)
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    if args.view:
        if tool.view is None:
            print(f"{tool.id} has no view; its JSON result is above.", file=sys.stderr)
        else:
            print()
            print(format_view(tool.view(result, language)))
    return 0


def format_view(view: ToolView) -> str:
    """Return a tool view as plain text: title, sentences, figures, tables, notes, sources."""
    lines = [view.title, "=" * len(view.title)]
    lines += list(view.sentences)
    if view.figures:
        lines.append("")
        width = max(len(figure.label) for figure in view.figures)
        for figure in view.figures:
            value = figure.to_json()["value"]
            shown = f"{value} {figure.unit}".strip() if value is not None else "(none)"
            note = f"  ({figure.note})" if figure.note else ""
            lines.append(f"{figure.label.ljust(width)}  {shown}{note}")
    for table in view.tables:
        lines += ["", *format_table(table.columns, table.to_json()["rows"], table.caption)]
    if view.chart is not None:
        chart = view.chart
        lines += ["", f"Chart ({chart.kind}): {chart.title}"]
        for series in chart.series:
            points = ", ".join(
                f"{x}: {'(none)' if y is None else y}" for x, y in series.to_json()["points"]
            )
            lines.append(f"  {series.name}: {points}")
    if view.notes:
        lines += ["", "Notes:", *(f"- {note}" for note in view.notes)]
    if view.sources:
        lines += ["", "Sources:"]
        for source in view.sources:
            details = ", ".join(part for part in (source.release, source.licence) if part)
            lines.append(f"- {source.title}: {source.url}" + (f" ({details})" if details else ""))
    return "\n".join(lines)


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], caption: str) -> list[str]:
    """Return a table as aligned text lines, its caption first."""
    cells = [[str(c) for c in columns]]
    cells += [["" if value is None else str(value) for value in row] for row in rows]
    count = max(len(row) for row in cells)
    cells = [row + [""] * (count - len(row)) for row in cells]
    widths = [max(len(row[i]) for row in cells) for i in range(count)]
    text = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    rule = "  ".join("-" * width for width in widths)
    return [*([caption] if caption else []), text[0], rule, *text[1:]]


def run_ingest(args: argparse.Namespace) -> int:
    """Ingest documents into a pack's index; exit 1 when some files failed."""
    from civicllm.packs.loader import create_pack, load_packs
    from civicllm.retrieval import ingest_paths
    from civicllm.runtime import open_settings_index

    settings = settings_from(args)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise InputError(f"No such file or folder: {', '.join(missing)}.", param="paths")
    packs = load_packs(settings)
    index = open_settings_index(settings)  # first: an unreachable index creates no assistant
    try:
        if args.pack not in packs:
            create_pack(settings, args.pack)
            print(f"Created assistant '{args.pack}'.", file=sys.stderr)
        report = ingest_paths(list(args.paths), args.pack, index, progress=args.progress)
    finally:
        index.close()
    print(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.removed} removed, {len(report.failed)} failed; {report.chunks} passages."
    )
    for path, reason in report.failed:
        print(f"failed: {path}: {reason}", file=sys.stderr)
    for flag in report.flagged:
        print(f"kept out ({flag.reason}): {flag.path}: {flag.sentence}")
    if report.flagged:
        print(
            f"{len(report.flagged)} sentence(s) address an assistant rather than a reader and "
            "were kept out of the index; fix them in the source documents."
        )
    return 1 if report.failed else 0


def run_keys(args: argparse.Namespace) -> int:
    """Create or list API keys."""
    from civicllm.server.limits import KeyStore

    settings = settings_from(args)
    store = KeyStore(settings.path("keys.json"))
    if args.action == "create":
        stored, plaintext = store.create(args.name)
        print(plaintext)
        print(f"Key {stored.id} ({stored.name}) created; it is shown only once.", file=sys.stderr)
    else:
        for key in store.read_file():
            print(f"{key.id}\t{key.name}")
    return 0


def run_audit(args: argparse.Namespace) -> int:
    """Verify the audit log's hash chain and anchors, or print its latest records."""
    from civicllm.safety.audit import open_audit_log

    settings = settings_from(args)
    # Read-only: verifying repairs nothing (no trigger re-created, no key made up).
    log = open_audit_log(settings, readonly=True)
    try:
        if args.action == "verify":
            problem = log.verify_chain()
            if problem is not None:
                print(f"{problem.message} (checked {log.path})", file=sys.stderr)
                return 1
            print(
                f"The audit log {log.path} is intact: every record's hash and signature "
                f"match the key {log.key_path} and the head file {log.head_path}."
            )
        else:
            for record in log.records(args.n):
                print(json.dumps(record, ensure_ascii=False))
    finally:
        log.close()
    return 0


def run_eval(args: argparse.Namespace) -> int:
    """Run an assistant's evaluation suite and print the report."""
    from civicllm.evals import run_suite
    from civicllm.evals.runner import DEFAULT_VECTORS

    # The gate is about the model's own answers, so they are what is measured unless
    # --answer-mode extract asks for the quoting path.
    settings = settings_from(args, answer_mode=args.answer_mode or "generate")
    report = run_suite(
        settings, args.assistant, limit=args.limit, vectors=args.vectors or DEFAULT_VECTORS
    )
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else report["table"])
    return 0 if report.get("passed", True) else 1


COMMANDS = {
    "serve": run_serve,
    "ask": run_ask,
    "chat": run_chat,
    "verify": run_verify,
    "models": run_models,
    "tool": run_tool,
    "sai": run_sai,
    "ingest": run_ingest,
    "keys": run_keys,
    "audit": run_audit,
    "eval": run_eval,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "data":
            data_cli = optional_data_cli()
            code: int = data_cli.run_data_command(args, settings_from(args))
            return code
        return COMMANDS[args.command](args)
    except ArgumentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except InputError as exc:
        # One line per bad field, so a whole form is fixed in one pass.
        for _, message in exc.details:
            for line in message.splitlines():
                print(f"error: {line}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except CivicError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a stack trace; the message says what failed
        print(f"error: unexpected failure ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
