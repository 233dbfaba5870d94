"""The water-energy pack's own words: its account-action patterns and its articles' openings.

A citizen's bill, contract or supplier is not a statistics question: the pack's
``policy_patterns`` redirect it (to the supplier) instead of answering "not found", while
questions that say "my country" still reach the data. And the opening section of the
electricity-access article (the one quoted for "what counts as access?") says what the
indicator leaves out, so a quote of its first sentences already answers that.
"""

from __future__ import annotations

import re

import pytest

from civicllm.language import fold
from civicllm.packs.loader import BUILTIN_PACKS_DIR, load_pack
from civicllm.retrieval.readers import split_markdown
from civicllm.safety.policy import check_input

FOLDER = BUILTIN_PACKS_DIR / "water-energy"


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Could you settle my power invoice this month?", "en"),
        ("How do I switch my water supplier?", "en"),
        ("Please cancel the electricity contract for my flat.", "en"),
        ("¿Cómo doy de baja mi contrato de la luz?", "es"),
        ("¿Me pagas el recibo del agua? Es mi factura de este mes", "es"),
        ("Je veux résilier mon abonnement d'électricité.", "fr"),
        ("Pouvez-vous payer la facture d'eau de ma mère ?", "fr"),
        ("Kannst du meine Stromrechnung bezahlen?", "de"),
        ("Wie wechsle ich meinen Stromanbieter?", "de"),
    ],
)
def test_bills_and_contracts_are_redirected_to_the_supplier(question: str, language: str) -> None:
    decision = check_input(question, language, load_pack(FOLDER))
    assert decision is not None, question
    assert (decision.action, decision.reason) == ("redirect", "account_action")
    assert decision.text.strip()


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("What share of my country has electricity? I live in Kenya.", "en"),
        ("¿Qué porcentaje de mi país tiene electricidad?", "es"),
        ("Quel est le taux d'accès à l'électricité dans mon pays, le Sénégal ?", "fr"),
        ("Wie viele Menschen in meinem Land Kenia haben keinen Strom?", "de"),
        ("How much electricity do networks lose before it reaches the meter?", "en"),
    ],
)
def test_statistics_questions_are_not_taken_for_account_actions(
    question: str, language: str
) -> None:
    assert check_input(question, language, load_pack(FOLDER)) is None


# Words for "hours" and for "cuts out" in each language, as the opening section writes them.
OPENING_WORDS = {
    "en": ("household", r"\bhours\b", r"cuts out"),
    "es": ("hogar", r"\bhoras\b", r"\bcortes\b"),
    "fr": ("menage", r"\bheures\b", r"coupures"),
    "de": ("haushalt", r"\bstunden\b", r"ausfalle"),
}


@pytest.mark.parametrize("language", sorted(OPENING_WORDS))
def test_electricity_access_opening_says_hours_and_outages_are_not_counted(
    language: str,
) -> None:
    _, body = split_markdown((FOLDER / "sources" / language / "electricity-access.md").read_text())
    sections = re.split(r"\n## ", body)
    opening = fold(" ".join(sections[1].split("\n", 1)[1].split()))
    sentences = re.split(r"(?<=\.)\s+", opening)
    household, hours, cuts = OPENING_WORDS[language]
    assert household in sentences[0]
    # The counting rule is the sentence right after the definition: quoted with it.
    assert re.search(hours, sentences[1]) and re.search(cuts, sentences[1]), sentences[1]
