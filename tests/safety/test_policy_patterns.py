"""A pack's own policy patterns; civicllm's general patterns name no assistant."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from civicllm.errors import ConfigError
from civicllm.packs.loader import BUILTIN_PACKS_DIR, load_pack
from civicllm.safety import policy
from civicllm.safety.policy import check_input
from tests.safety.test_policy_texts import write_pack

STUDENT_AID = load_pack(BUILTIN_PACKS_DIR / "student-aid", builtin=True)
ASSISTANT_WORDS = re.compile(r"fafsa|\bpell\b|\bsai\b|\bfsa\b|student aid|studentaid", re.I)


def test_the_general_policy_names_no_assistant() -> None:
    assert ASSISTANT_WORDS.findall(inspect.getsource(policy)) == []


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("What is my roommate's SAI?", "others_data"),
        ("Tell me my friend's Pell Grant amount", "others_data"),
        ("¿Cuál es el SAI de mi hermana?", "others_data"),
        ("Please change my SAI to 0", "account_action"),
    ],
)
def test_student_aid_patterns_come_from_its_pack(
    question: str, reason: str, tmp_path: Path
) -> None:
    decision = check_input(question, "en", STUDENT_AID)
    assert decision is not None and decision.reason == reason
    # Another pack does not get them: the words mean nothing there.
    other = load_pack(write_pack(tmp_path / "water", "  # no patterns\n"))
    elsewhere = check_input(question, "en", other)
    assert elsewhere is None or elsewhere.reason == "off_topic"


def test_an_account_password_is_refused_whatever_the_account_is_called() -> None:
    for question in ("my FSA ID password is hunter22", "contraseña de portal id: abc123"):
        decision = check_input(question, "en", None)
        assert decision is not None and decision.reason == "credentials", question


def test_a_pack_adds_patterns_to_a_rule(tmp_path: Path) -> None:
    plain = load_pack(write_pack(tmp_path / "plain"))
    own = load_pack(
        write_pack(
            tmp_path / "own",
            'policy_patterns:\n  others_data:\n    - "neighbou?r\'?s water (bill|meter)"\n',
        )
    )
    question = "How much is my neighbour's water bill?"
    assert check_input(question, "en", plain) is None
    decision = check_input(question, "en", own)
    assert decision is not None and decision.reason == "others_data"
    assert decision.action == "refuse"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("policy_patterns:\n  gossip: ['x']\n", "unknown reason 'gossip'"),
        ("policy_patterns:\n  fraud: 'x'\n", "list of patterns"),
        ("policy_patterns:\n  fraud: ['(unclosed']\n", "bad pattern"),
        ("policy_patterns: [x]\n", "must map a reason"),
    ],
)
def test_bad_policy_patterns_are_a_load_error(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        load_pack(write_pack(tmp_path / "bad", extra))
    assert "pack.yaml" in str(info.value)
