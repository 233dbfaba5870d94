"""Ingestion is incremental, scoped, crash-safe, and reports unreadable files by name."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import apsw
import pytest

from civicllm.errors import InputError
from civicllm.retrieval.embed import Embedder
from civicllm.retrieval.index import Index, open_index
from civicllm.retrieval.ingest import ingest_paths
from civicllm.retrieval.progress import ProgressBar

from .conftest import CORPUS, write_corpus
from .documents import write_docx, write_pdf


def documents_of(index: Index, pack: str) -> list[str]:
    return [str(d["document"]) for d in index.list_documents(pack)]


def test_ingest_folder_then_skip_unchanged(corpus: Path, index: Index) -> None:
    first = ingest_paths([corpus], "city", index)
    assert (first.added, first.updated, first.unchanged, first.removed) == (len(CORPUS), 0, 0, 0)
    assert first.chunks == sum(int(str(d["chunks"])) for d in index.list_documents("city"))
    assert first.ok
    assert sorted(documents_of(index, "city")) == sorted(CORPUS)

    again = ingest_paths([corpus], "city", index)
    assert (again.added, again.updated, again.unchanged, again.chunks) == (0, 0, len(CORPUS), 0)


def test_changed_file_replaces_its_passages(corpus: Path, index: Index) -> None:
    ingest_paths([corpus], "city", index)
    path = corpus / "en/dog-license.md"
    path.write_text(path.read_text().replace("$20", "$25").replace("$60", "$75"))
    report = ingest_paths([corpus], "city", index)
    assert (report.updated, report.unchanged) == (1, len(CORPUS) - 1)
    texts = [p.text for p in index.search("dog license cost", mode="bm25", k=10)]
    assert any("$25" in t for t in texts)
    assert not any("$20" in t for t in texts)


def test_sidecar_change_counts_as_change(tmp_path: Path, index: Index) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notice.txt").write_text("Parking permits are renewed every spring online.\n")
    ingest_paths([folder], "city", index)
    (folder / "notice.txt.meta.yaml").write_text("title: Parking permits\nlanguage: en\n")
    report = ingest_paths([folder], "city", index)
    assert report.updated == 1
    assert index.search("parking permits")[0].title == "Parking permits"


def test_removed_file_is_dropped(corpus: Path, index: Index) -> None:
    ingest_paths([corpus], "city", index)
    (corpus / "en/dog-license.md").unlink()
    report = ingest_paths([corpus], "city", index)
    assert report.removed == 1
    assert "en/dog-license.md" not in documents_of(index, "city")
    assert all(p.document != "en/dog-license.md" for p in index.search("dog license", k=20))


def test_removal_is_scoped_to_the_ingested_folder(tmp_path: Path, index: Index) -> None:
    first = write_corpus(tmp_path / "first", {"a.md": "# A\n\nAlpha permits for kayaks."})
    second = write_corpus(tmp_path / "second", {"b.md": "# B\n\nBeta rules for canoes."})
    ingest_paths([first], "city", index)
    report = ingest_paths([second], "city", index)
    assert report.removed == 0
    assert sorted(documents_of(index, "city")) == ["a.md", "b.md"]
    # Ingesting a single file never removes its neighbours either.
    (first / "c.md").write_text("# C\n\nGamma.")
    ingest_paths([first / "c.md"], "city", index)
    assert sorted(documents_of(index, "city")) == ["a.md", "b.md", "c.md"]


def test_packs_are_separate(corpus: Path, index: Index) -> None:
    ingest_paths([corpus], "city", index)
    ingest_paths([corpus / "en/dog-license.md"], "pets", index)
    assert documents_of(index, "pets") == ["dog-license.md"]
    assert len(documents_of(index, "city")) == len(CORPUS)
    assert {p.pack for p in index.search("dog license", pack="pets", k=10)} == {"pets"}


def test_failures_are_reported_and_the_run_goes_on(tmp_path: Path, index: Index) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.md").write_text("# Good\n\nStreet sweeping happens on Tuesdays.")
    write_pdf(folder / "good.pdf", [["Snow plows clear main roads first."]])
    write_docx(folder / "good.docx", "Pools", [("Hours", ["Pools open at noon in summer."])])
    (folder / "good.html").write_text(
        "<title>Parks</title><h1>Parks</h1><p>Parks close at dusk.</p>"
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4 garbage")
    write_pdf(folder / "locked.pdf", [["Secret."]], password="pw")
    (folder / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    (folder / ".hidden.md").write_text("# Hidden\n\nNot ingested.")
    report = ingest_paths([folder, tmp_path / "missing"], "city", index)
    failed = {path.name: reason for path, reason in report.failed}
    assert set(failed) == {"empty.txt", "corrupt.pdf", "locked.pdf", "sheet.xlsx", "missing"}
    assert "empty" in failed["empty.txt"]
    assert "corrupt" in failed["corrupt.pdf"]
    assert "encrypted" in failed["locked.pdf"]
    assert "unsupported" in failed["sheet.xlsx"]
    assert report.added == 4 and not report.ok
    assert sorted(documents_of(index, "city")) == ["good.docx", "good.html", "good.md", "good.pdf"]
    pdf_hit = index.search("snow plows main roads", k=1, mode="bm25")[0]
    assert (pdf_hit.document, pdf_hit.page) == ("good.pdf", 1)


def test_file_that_breaks_loses_its_old_passages(tmp_path: Path, index: Index) -> None:
    folder = write_corpus(tmp_path / "d", {"notice.md": "# N\n\nHydrant flushing in May."})
    ingest_paths([folder], "city", index)
    (folder / "notice.md").write_bytes(b"")
    report = ingest_paths([folder], "city", index)
    assert [p.name for p, _ in report.failed] == ["notice.md"]
    assert index.search("hydrant flushing", mode="bm25") == []


def test_bad_pack_name_is_input_error(corpus: Path, index: Index) -> None:
    with pytest.raises(InputError) as caught:
        ingest_paths([corpus], "City Services", index)
    assert caught.value.param == "pack"


def test_progress_bar_draws_only_when_enabled() -> None:
    shown, hidden = io.StringIO(), io.StringIO()
    for stream, enabled in ((shown, True), (hidden, False)):
        bar = ProgressBar(2, enabled=enabled, stream=stream)
        bar.advance("a.md")
        bar.advance("b.md")
        bar.finish()
    assert "2/2 files" in shown.getvalue() and "b.md" in shown.getvalue()
    assert hidden.getvalue() == ""


def test_unchanged_text_is_not_embedded_again(tmp_path: Path, embedder: Embedder) -> None:
    calls: list[int] = []

    class CountingEmbedder(Embedder):
        def embed_passages(self, texts):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return embedder.embed_passages(texts)

    index = open_index(tmp_path / "i.db", CountingEmbedder())
    folder = write_corpus(tmp_path / "d", {"a.md": "# A\n\n## One\nFirst.\n\n## Two\nSecond."})
    ingest_paths([folder], "city", index)
    before = sum(calls)
    (folder / "a.md").write_text("# A\n\n## One\nFirst.\n\n## Two\nSecond, changed.")
    ingest_paths([folder], "city", index)
    # Only the changed section is embedded again (plus nothing for the unchanged one).
    assert sum(calls) - before == 1
    index.close()


SLOW_INGEST = """
import sys, time
from pathlib import Path
from civicllm.retrieval.embed import Embedder
from civicllm.retrieval.index import open_index
from civicllm.retrieval.ingest import ingest_paths

class SlowEmbedder(Embedder):
    def embed_passages(self, texts):
        time.sleep(0.15)  # time for the test to kill us between two files
        return super().embed_passages(texts)

index = open_index(Path(sys.argv[1]), SlowEmbedder())
report = ingest_paths([Path(sys.argv[2])], "city", index)
print("DONE", report.added, report.unchanged)
"""


def test_killed_ingest_leaves_a_usable_index_and_resumes(
    tmp_path: Path, embedder: Embedder
) -> None:
    files = {
        f"notice-{i:02d}.md": f"# Notice {i}\n\nStreet {i} is closed for repairs on day {i}."
        for i in range(30)
    }
    folder = write_corpus(tmp_path / "many", files)
    db = tmp_path / "index.db"
    open_index(db, embedder).close()  # create it first, so the reader below can poll it
    script = tmp_path / "slow_ingest.py"
    script.write_text(textwrap.dedent(SLOW_INGEST))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [sys.executable, str(script), str(db), str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reader = apsw.Connection(str(db), flags=apsw.SQLITE_OPEN_READONLY)
    deadline = time.monotonic() + 60
    done = 0
    while time.monotonic() < deadline and done < 3:
        time.sleep(0.05)
        done = int(reader.execute("select count(*) from documents").fetchone()[0])  # type: ignore[index]
    reader.close()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL, process.stderr.read() if process.stderr else ""

    index = open_index(db, embedder)
    kept = index.list_documents("city")
    assert 3 <= len(kept) < len(files)
    # Every stored document is whole: its one passage is searchable.
    for item in kept:
        assert item["chunks"] == 1
        assert index.search(str(item["title"]), document=str(item["document"]), mode="bm25")
    report = ingest_paths([folder], "city", index)
    assert report.unchanged == len(kept)
    assert report.added == len(files) - len(kept)
    assert not report.failed
    assert len(index.list_documents("city")) == len(files)
    check = index.search("street 17 closed", k=1, mode="bm25")
    assert check[0].document == "notice-17.md"
    index.close()
