"""The languages civicllm serves (en, es, fr, de): codes, folding, detection and stop words.

One place for what every layer needs to read text in four languages: the retriever folds a
query the way it folds the index, the verifier folds a claim the way it folds a source, the
answer loop detects the language to answer in, and ingest records the language of a
document that does not state one.

    >>> fold("Straße, Ça coûte ÉTÉ")
    'strasse, ca coute ete'
    >>> detect_language("¿Cuánto dinero puedo recibir?")
    'es'
    >>> base_language("fr-CA"), base_language("pt-BR")
    ('fr', 'en')

What it trades away: detection counts stop words (and a few accented letters), which is
right for the full sentences people type. When they leave it unsure (a tie, or no stop word:
"Was bedeutet sicher verwaltetes Trinkwasser?"), py3langid's character n-gram model, limited
to the four languages, decides if it is at least 90% sure; otherwise (one or two content
words: "FAFSA?", "Pell Grant") the answer is ``default``. The stop
words are function words only (articles, pronouns, prepositions, auxiliaries, question
words, negations); words shared by two languages ("de", "la", "die") count for both, so they
only help when another word breaks the tie.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = [
    "ALL_STOP_WORDS",
    "STOP_WORDS",
    "SUPPORTED_LANGUAGES",
    "base_language",
    "detect_language",
    "fold",
]

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de")

# Typographic apostrophes, so "don’t" reads as "don't" and "l’aide" as "l'aide".
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def fold(text: str) -> str:
    """Return ``text`` case-folded, without accents, and with plain apostrophes."""
    # Decomposed before case-folding too, so that letters whose compatibility form is a
    # capital ("𝐈", "ℍ", "ᴬ") end in lower case, and fold(fold(x)) == fold(x).
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_APOSTROPHES)
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))


def base_language(code: str | None) -> str:
    """Return the supported language of a code like ``es-MX`` or ``de_AT``; else English."""
    base = (code or "").strip().replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED_LANGUAGES else "en"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words of each language, folded: articles, pronouns, prepositions, conjunctions,
# auxiliaries, question words. They match nearly every passage (so a full-text query leaves
# them out) and tell the languages apart (so detection counts them). Words of quantity,
# frequency, direction or obligation ("every", "again", "out", "under", "must", "should")
# are not stop words: they change what a question asks ("fill out the FAFSA again every
# year?") and what a claim says. Negations are, for search; a reader of claims keeps them
# (see ``civicllm.answer.claims``).
STOP_WORDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "en": _words(
            "a about also am an and are as at be been being but by can could did do does for "
            "from had has have having he her his how i if in into is it it's its just me my no "
            "not of on or our she so such than that the their them then there there's these "
            "they this those to very was we were what when where which who whom whose why will "
            "with would you your"
        ),
        "es": _words(
            "a al como con cual cuales cuando cuanta cuantas cuanto cuantos de del donde e el "
            "ella ellos en era eran es esa esas ese eso esos esta estar estas este esto estos "
            "fue fueron ha han hay la las le les lo los mas me mi mis muy no nos o para pero "
            "por porque puede pueden puedo que quien quienes se ser si sin sobre son su sus "
            "tambien te tengo tiene tu tus u un una unas uno unos usted ustedes y ya yo"
        ),
        "fr": _words(
            "a au aussi aux avec ce ces cet cette combien comment dans de des dont du elle "
            "elles en est est-ce et etait ete etre il ils je la le les leur leurs lui ma mais "
            "me mes mon ne nos notre nous on ou par pas peut peuvent plus pour puis quand que "
            "quel quelle quelles quels qui quoi sa se ses si son sont sur ta te tres tu un une "
            "vos votre vous y"
        ),
        "de": _words(
            "aber als am an auch auf aus bei beim bin bis dann das dass dem den der des die "
            "diese dieser dieses du ein eine einem einen einer eines er es fur hat ich ihr ihre "
            "im in ist ja kann konnen mein meine mit nach nicht noch nur oder sehr sein sich "
            "sie sind so um und uns viel vom von vor wann war waren warum was welche welcher "
            "welches wenn wer werden wie wieviel wir wird wo wurde zu zum zur"
        ),
    }
)
ALL_STOP_WORDS: frozenset[str] = frozenset().union(*STOP_WORDS.values())

# Letters that only some of the languages write: half a stop word each.
_ACCENT_HINTS = {"es": "ñ¿¡áéíóú", "fr": "àâçèéêëîïôœùûü", "de": "äöüß"}
_WORD = re.compile(r"[^\W\d_]+")  # letters only: "qu'est-ce" is qu, est, ce
# A document is judged by its beginning; 20,000 characters is several pages.
_SAMPLE_CHARS = 20_000


def detect_language(text: str, default: str = "en") -> str:
    """Return the most likely of en/es/fr/de for ``text``, or ``default`` when unsure."""
    sample = text[:_SAMPLE_CHARS]
    words = _WORD.findall(fold(sample))
    scores: dict[str, float] = {
        language: float(sum(w in stops for w in words)) for language, stops in STOP_WORDS.items()
    }
    lowered = sample.lower()
    for language, letters in _ACCENT_HINTS.items():
        scores[language] += 0.5 * sum(lowered.count(letter) for letter in letters)
    best = max(scores, key=lambda language: scores[language])
    if scores[best] < 1 or list(scores.values()).count(scores[best]) > 1:
        return _guess_by_model(sample) or base_language(default)
    return best


# The n-gram model's least certainty (its normalized probability) for its guess to count.
MODEL_CERTAINTY = 0.9


def _guess_by_model(text: str) -> str | None:
    """Return py3langid's language for ``text`` among en/es/fr/de when it is sure, else None."""
    ranked = _identifier().rank(text)
    if not ranked:
        return None
    language, probability = ranked[0]
    return str(language) if float(probability) >= MODEL_CERTAINTY else None


@functools.cache
def _identifier() -> Any:
    """Load py3langid's model once (about a second), limited to the served languages."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(STOP_WORDS))
    return identifier
