"""Every supported format is read with its structure and metadata; broken files say why."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from civicllm.errors import IngestError
from civicllm.retrieval.readers import read_document

from .documents import write_docx, write_pdf


def test_markdown_front_matter_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text(
        "---\ntitle: Work-study\nsource_url: https://example.gov/ws\n"
        "effective_date: 2026-27\nlanguage: ES\n---\n# Ignored H1\n\nIntro line.\n\n"
        "## Pay\nYou earn at least minimum wage.\n\n```\n# not a heading\n```\n"
        "### Hours\nUp to 20 a week.\n",
        encoding="utf-8",
    )
    document = read_document(path)
    assert document.meta.title == "Work-study"
    assert document.meta.source_url == "https://example.gov/ws"
    assert document.meta.effective_date == "2026-27"
    assert document.meta.language == "es"
    headings = [s.heading for s in document.sections]
    assert headings == ["Ignored H1", "Pay", "Hours"]
    assert "# not a heading" in document.sections[1].text


def test_markdown_title_falls_back_to_first_heading(tmp_path: Path) -> None:
    path = tmp_path / "notice.md"
    path.write_text("# Snow emergency routes\n\nDo not park on marked routes.\n")
    assert read_document(path).meta.title == "Snow emergency routes"


def test_html_title_language_headings_and_no_scripts(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html lang='fr-CA'><head><title>Permis de  stationnement</title>"
        "<script>var secret = 'do not index';</script></head><body>"
        "<nav>Menu Accueil</nav><h1>Stationnement</h1><p>Le permis coûte 40 $.</p>"
        "<h2>Renouvellement</h2><p>Renouvelez chaque année.</p><p>En ligne &amp; au guichet.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    document = read_document(path)
    assert document.meta.title == "Permis de stationnement"
    assert document.meta.language == "fr"
    assert [s.heading for s in document.sections] == ["Stationnement", "Renouvellement"]
    renew = document.sections[1].text
    assert "Renouvelez chaque année." in renew and "En ligne & au guichet." in renew
    everything = " ".join(s.text for s in document.sections)
    assert "secret" not in everything and "Menu" not in everything


def test_docx_headings_by_style_and_sidecar_metadata(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "loans.docx",
        "Student loans",
        [
            ("Interest", ["Rates are fixed for the life of the loan."]),
            ("Repayment", ["Six months."]),
        ],
    )
    (tmp_path / "loans.docx.meta.yaml").write_text(
        "source_url: https://example.gov/loans\neffective_date: 2026-07-01\nlanguage: en\n"
    )
    document = read_document(path)
    assert document.meta.title == "Student loans"
    assert document.meta.source_url == "https://example.gov/loans"
    assert document.meta.effective_date == "2026-07-01"
    assert [(s.heading, s.text) for s in document.sections] == [
        ("Interest", "Rates are fixed for the life of the loan."),
        ("Repayment", "Six months."),
    ]


def test_pdf_pages_and_title(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "handbook.pdf",
        [["Chapter one is about grants."], [], ["Chapter three is about loans."]],
        title="Aid handbook",
    )
    document = read_document(path)
    assert document.meta.title == "Aid handbook"
    # The empty second page is dropped; page numbers stay those of the file.
    assert [(s.page, s.text) for s in document.sections] == [
        (1, "Chapter one is about grants."),
        (3, "Chapter three is about loans."),
    ]


def test_sidecar_overrides_document_title(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "a.pdf", [["Some text about permits."]], title="Inner")
    (tmp_path / "a.pdf.meta.yaml").write_text("title: Official title\nlanguage: en\n")
    assert read_document(path).meta.title == "Official title"


def test_plain_text_title_and_language_guess(tmp_path: Path) -> None:
    path = tmp_path / "aviso.txt"
    path.write_text(
        "Aviso de corte de agua\n\nSi la factura no se paga en 60 días, la ciudad "
        "envía un aviso por escrito antes del corte y el servicio se suspende.\n",
        encoding="utf-8",
    )
    document = read_document(path)
    assert document.meta.title == "Aviso de corte de agua"
    assert document.meta.language == "es"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "empty"),
        ("blank.txt", b"  \n\n \n", "no text"),
        ("broken.pdf", b"%PDF-1.7 this is not really a pdf", "corrupt"),
        ("broken.docx", b"PK\x03\x04 not a zip archive", "corrupt"),
        ("table.xlsx", b"PK\x03\x04", "unsupported"),
        ("noext", b"hello", "unsupported"),
        ("binary.txt", b"\x00\x01\x02\x03text", "binary"),
    ],
)
def test_unreadable_files_raise_ingest_error(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as caught:
        read_document(path)
    assert reason in caught.value.message
    assert name in caught.value.message
    assert caught.value.path == str(path)


def test_encrypted_pdf_raises_ingest_error(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "locked.pdf", [["Confidential text."]], password="s3cret")
    with pytest.raises(IngestError, match="encrypted"):
        read_document(path)


def test_pdf_without_text_layer_raises_ingest_error(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [[], []])
    with pytest.raises(IngestError, match="text layer"):
        read_document(path)


def test_docx_missing_part_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "half.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(IngestError, match="corrupt"):
        read_document(path)


def test_bad_language_in_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("---\nlanguage: English please\n---\nText.\n")
    with pytest.raises(IngestError, match="language"):
        read_document(path)
