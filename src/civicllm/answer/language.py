"""Detect which supported language a question is in (en, es, fr, de).

Stopword counting is crude but needs no model and is right for the full sentences citizens
type; a one-word message falls back to the page's language.
"""

from __future__ import annotations

import re

__all__ = ["SUPPORTED_LANGUAGES", "detect_language"]

SUPPORTED_LANGUAGES = ("en", "es", "fr", "de")

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the is are what how who when where do does can i my to of and for a an in on with "
        "if it be have should which will you your about need".split()
    ),
    "es": frozenset(
        "el la los las es son qué que cómo como quién cuándo dónde puedo mi mis de del y para "
        "un una en con si tengo debo cuál cuánto necesito por al se lo".split()
    ),
    "fr": frozenset(
        "le la les est sont que qui quoi comment quand où je mon ma mes de du des et pour un "
        "une en avec si dois puis quel quelle combien au aux ce il est-ce".split()
    ),
    "de": frozenset(
        "der die das ist sind was wie wer wann wo ich mein meine zu von und für ein eine in "
        "mit wenn muss kann welche wieviel viel bei den dem nicht auch".split()
    ),
}
ACCENT_HINTS = {"es": "ñ¿¡áéíóú", "fr": "àâçèéêëîïôœùûü", "de": "äöüß"}
WORD = re.compile(r"[a-zà-ÿœß'-]+")


def detect_language(text: str, default: str = "en") -> str:
    """Return the most likely of en/es/fr/de for a text, or ``default`` when unsure."""
    words = WORD.findall(text.lower())
    scores: dict[str, float] = {
        lang: sum(w in stops for w in words) for lang, stops in STOPWORDS.items()
    }
    for lang, chars in ACCENT_HINTS.items():
        scores[lang] += sum(0.5 for ch in text.lower() if ch in chars)
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < 1 or list(scores.values()).count(scores[best]) > 1:
        return default if default in SUPPORTED_LANGUAGES else "en"
    return best
