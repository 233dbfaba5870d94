"""The SQLite index's tables, and the sentences that center its 1-bit vector codes."""

from __future__ import annotations

SCHEMA_VERSION = "1"

# Sentences whose mean embedding centers the 1-bit codes: e5 vectors share a large common
# direction, and signs taken around it carry more information than raw signs.
CENTER_SENTENCES = (
    "How do I apply for financial aid for college?",
    "¿Cuándo vence el plazo para presentar la solicitud?",
    "Les entreprises doivent déclarer leurs revenus chaque année.",
    "Wie viele Menschen haben Zugang zu sauberem Trinkwasser?",
    "The table shows electricity access by country and year.",
    "Los estudiantes dependientes deben informar los ingresos de sus padres.",
    "You may need to repay the grant if you withdraw early.",
    "Small businesses can apply for a loan guaranteed by the agency.",
)

SCHEMA = """
create table if not exists meta(key text primary key, value text not null);
create table if not exists documents(
  id integer primary key,
  pack text not null,
  path text not null,
  document text not null,
  title text not null,
  language text not null,
  source_url text not null,
  effective_date text not null,
  effective_from text not null,
  content_hash text not null,
  ingested_at real not null,
  unique(pack, path)
);
create table if not exists chunks(
  id integer primary key,
  document_id integer not null references documents(id),
  ord integer not null,
  section text not null,
  page integer,
  text text not null,
  embed_hash text not null,
  vector blob not null
);
create index if not exists chunks_document on chunks(document_id);
create index if not exists chunks_embed_hash on chunks(embed_hash);
create virtual table if not exists chunk_fts using fts5(
  title, section, text,
  pack unindexed, language unindexed, document unindexed, effective_from unindexed,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
"""
