"""Words for full-text search: tokenizing, stop words, and a small language guess."""

from __future__ import annotations

import re
from collections import Counter


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words of the four languages we serve. They match nearly every passage, so
# leaving them out of a full-text query costs no recall and keeps queries fast at scale.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "a an and are as at be been but by can could did do does for from had has have how i "
        "if in into is it its me my no not of on or our so than that the their them then "
        "there these they this to was we were what when where which who whom why will with "
        "would you your"
    ),
    "es": _words(
        "a al como con cual cuales cuando cuanto de del donde e el ella ellos en es esta este "
        "esto fue ha hay la las le les lo los mas me mi mis muy no o para pero por porque que "
        "quien se si sin sobre son su sus te tengo tiene un una uno unos y ya yo"
    ),
    "fr": _words(
        "a au aux avec ce ces comment dans de des du elle en est et il ils je la le les leur "
        "lui ma mais me mes mon ne nous on ou par pas plus pour quand que quel quelle qui sa "
        "se ses si son sont sur ta te tu un une vos votre vous y"
    ),
    "de": _words(
        "aber als am an auch auf aus bei bin bis das dass dem den der des die du ein eine "
        "einem einen einer es fur hat ich ihr im in ist ja kann mein mit nach nicht noch nur "
        "oder sich sie sind so um und uns von vor was wann warum wer wie wir wird zu zum "
        "zur"
    ),
}
ALL_STOP_WORDS = frozenset().union(*STOP_WORDS.values())

_WORD = re.compile(r"\w+", re.UNICODE)
_ACCENTS = str.maketrans("áàâäãåéèêëíìîïóòôöõúùûüñçß", "aaaaaaeeeeiiiiooooouuuuncs")


def fold_word(word: str) -> str:
    """Return ``word`` lowercased without accents, as the full-text index stores it."""
    return word.lower().translate(_ACCENTS)


def extract_terms(text: str, *, limit: int = 32) -> list[str]:
    """Return the distinct content words of ``text``, in order, without stop words."""
    seen: dict[str, None] = {}
    for match in _WORD.finditer(text):
        word = fold_word(match.group())
        if word in ALL_STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        seen.setdefault(word, None)
        if len(seen) >= limit:
            break
    return list(seen)


def guess_language(text: str, default: str = "en") -> str:
    """Return the language among en/es/fr/de whose stop words ``text`` uses most."""
    words = [fold_word(w) for w in _WORD.findall(text[:20000])]
    counts: Counter[str] = Counter()
    for language, stops in STOP_WORDS.items():
        counts[language] = sum(1 for w in words if w in stops)
    if not counts or counts.most_common(1)[0][1] < 3:
        return default
    return counts.most_common(1)[0][0]
