"""The input policy: what is declined or redirected before any retrieval or generation.

Each rule is a few multilingual patterns (en, es, fr, de). Patterns are deliberately
specific: a false refusal of a real question costs more than a false answer to an off-topic
one, which retrieval and the verifier still keep honest ("I could not find this in the
official sources").

Two kinds of rule. The general ones (an attempt to change how the assistant works, a
password handed over) do not depend on what an assistant is for, so they run for raw models
too. The others (fraud, someone else's records, legal, account and investment questions, and
off-topic, which uses the pack's ``scope.keywords``) only make sense for an assistant, so a
raw model never gets them: it has no scope to redirect from.

A pack may add patterns of its own to any rule (``policy_patterns`` in pack.yaml: reason
-> list of regular expressions over the folded text, accents and case removed), for what
only its subject makes a sign of that reason (a credential or a record by its own name).

The texts come from the pack (``policy_texts`` in pack.yaml: reason -> language -> text);
where a pack is silent, a generic text names the assistant (``{name}``) and, when the pack
has a ``scope.redirect_channel``, points to it. What this trades away: the generic texts
cannot name a form, a phone line or an office, so a pack that wants a citizen pointed at
one writes its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from civicllm.errors import ConfigError
from civicllm.language import fold

if TYPE_CHECKING:
    from civicllm.packs.loader import Pack

__all__ = [
    "DEFAULT_TEXTS",
    "GENERAL_REASONS",
    "POLICY_REASONS",
    "PolicyDecision",
    "check_input",
    "read_policy_patterns",
    "reply_for",
]

Action = Literal["refuse", "redirect"]


@dataclass(frozen=True)
class PolicyDecision:
    """A request that will not be answered, and what is said instead."""

    action: Action
    reason: str
    text: str


RULES: list[tuple[str, Action, re.Pattern[str]]] = [
    (
        "injection",
        "refuse",
        re.compile(
            r"ignore (all |any |the )?(previous |prior |your |earlier )*(instructions|rules)"
            r"|system prompt|^\s*system\s*:|developer mode|jailbreak|you are now"
            r"|olvida (tus|las) (instrucciones|reglas)|ignora (tus|las) instrucciones|sin reglas"
            r"|oublie (tes|les) (instructions|regles)|nouvelle politique|ignore tes instructions"
            r"|vergiss (deine|alle) (regeln|anweisungen)|ignoriere (deine|alle) anweisungen"
            r"|invente(z)? (les|des) montants|make up (the )?(numbers|amounts)"
        ),
    ),
    (
        "credentials",
        "refuse",
        re.compile(
            r"(password|passcode|contrasena|mot de passe|passwort)( del| du| de)?( [a-z]{2,10} id)?"
            r"\s*(:|=|\bis\b|\bes\b|\best\b|\bist\b)\s*\S+"
            r"|(here is|here are|te doy|voici|hier sind|hier ist).{0,60}"
            r"(password|contrasena|mot de passe|passwort|zugangsdaten)"
            r"|(log|sign) in(to)? (as|for) (me|my)|inicia sesion por mi|connecte-toi"
        ),
    ),
    (
        "fraud",
        "refuse",
        re.compile(
            r"(write|put|report|declare) (down )?(a )?(lower|smaller) income"
            r"|(lie|lying) (on|about)|fake (income|tax|document)"
            r"|hide (income|assets|money)|mentir en|ocultar (ingresos|dinero)"
            r"|falsifier|mentir sur|cacher (des )?revenus|falschen? angaben|verschweigen"
        ),
    ),
    (
        "others_data",
        "refuse",
        re.compile(
            r"(my )?(roommate|sister|brother|friend|neighbor|classmate)'?s? "
            r"(ssn|social security|records|account|password|personal (data|information))"
            r"|list of (the )?students|students .* (with|and) (their )?addresses"
            r"|numero de seguro social de (mi|su)"
            r"|liste des etudiants|(de ma|de mon) (soeur|frere|ami)"
            r"|(meiner|meines) (schwester|bruders|freundin|freundes)"
        ),
    ),
    (
        "immigration_legal",
        "redirect",
        re.compile(
            r"deport|asylum|asilo|asile"
            r"|(antrag auf|apply for|solicitar|demander) (a |an |una |eine |la )?"
            r"(green card|carte verte|residencia)"
            r"|immigration (papers|case|lawyer|status change)|papiers d'immigration"
            r"|will ice|legal risk|riesgo legal|asesoria legal|conseil juridique"
            r"|aufenthaltsstatus|rechtlichen rat|abschiebung"
            r"|visa .* (expire|vence|expire bientot|lauft ab)"
        ),
    ),
    (
        "legal_action",
        "redirect",
        re.compile(
            r"\bsue\b|lawsuit|demandar a|demanda contra|poursuivre (mon|ma|l)|porter plainte"
            r"|\bklagen\b|klageschrift|anwalt"
        ),
    ),
    (
        "account_action",
        "redirect",
        re.compile(
            r"change (the )?(email|address|bank)|cambia (el|mi) (correo|direccion)"
            r"|change l'adresse|aendere|andere (meine|die) (e-mail|adresse)"
        ),
    ),
    (
        "investment",
        "redirect",
        re.compile(
            r"\bstocks?\b|acciones de la bolsa|crypto|bitcoin|actions en bourse|\baktien\b"
            r"|invest (my|the) (loan|aid)|invertir"
        ),
    ),
]

# The rules that hold whatever an assistant is for: they run for raw models too.
GENERAL_REASONS = ("injection", "credentials")
# Every reason a pack may word itself in ``policy_texts``.
POLICY_REASONS = (*(reason for reason, _, _ in RULES), "off_topic")

# Pack-neutral texts: ``{name}`` is the assistant's name. A pack's own text replaces one.
DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    "injection": {
        "en": "I can't change how I work. I answer only from the official sources of {name}. "
        "Please ask me a question about it.",
        "es": "No puedo cambiar cómo funciono. Solo respondo con las fuentes oficiales de "
        "{name}. Hazme una pregunta sobre ese tema.",
        "fr": "Je ne peux pas changer ma façon de fonctionner. Je réponds uniquement à partir "
        "des sources officielles de {name}. Posez-moi une question sur ce sujet.",
        "de": "Ich kann meine Arbeitsweise nicht ändern. Ich antworte nur aus den offiziellen "
        "Quellen von {name}. Stellen Sie mir eine Frage dazu.",
    },
    "credentials": {
        "en": "Please never share a password or a sign-in code with anyone, including me. "
        "Only you should sign in to your account. If you shared a password, change it now.",
        "es": "Nunca compartas una contraseña ni un código de acceso con nadie, tampoco "
        "conmigo. Solo tú debes entrar en tu cuenta. Si ya la compartiste, cámbiala ahora.",
        "fr": "Ne partagez jamais un mot de passe ni un code de connexion, même avec moi. "
        "Vous seul devez vous connecter à votre compte. Si vous l'avez partagé, "
        "changez-le maintenant.",
        "de": "Geben Sie Passwörter und Anmeldecodes niemals weiter, auch nicht an mich. Nur "
        "Sie selbst sollten sich bei Ihrem Konto anmelden. Falls Sie ein Passwort "
        "weitergegeben haben, ändern Sie es jetzt.",
    },
    "fraud": {
        "en": "I can't help with giving false information to an agency: it can be a crime. "
        "If your situation is hard, ask the agency what help it offers.",
        "es": "No puedo ayudar a dar información falsa a una agencia: puede ser un delito. Si "
        "tu situación es difícil, pregunta a la agencia qué ayuda ofrece.",
        "fr": "Je ne peux pas aider à donner de fausses informations à une administration : "
        "cela peut être un délit. Si votre situation est difficile, demandez-lui quelle aide "
        "elle propose.",
        "de": "Ich kann nicht helfen, einer Behörde falsche Angaben zu machen: Das kann "
        "strafbar sein. Wenn Ihre Lage schwierig ist, fragen Sie die Behörde nach ihren "
        "Hilfsangeboten.",
    },
    "others_data": {
        "en": "I can't look up or share anyone else's personal information or records. Each "
        "person can ask the agency for their own.",
        "es": "No puedo buscar ni compartir información personal ni registros de otras "
        "personas. Cada persona puede pedir los suyos a la agencia.",
        "fr": "Je ne peux ni chercher ni partager les informations personnelles ou les "
        "dossiers d'autres personnes. Chacun peut demander les siens à l'administration.",
        "de": "Ich kann keine persönlichen Daten oder Unterlagen anderer Personen abrufen oder "
        "weitergeben. Jede Person kann ihre eigenen bei der Behörde anfragen.",
    },
    "immigration_legal": {
        "en": "I can't give immigration legal advice. Please talk to an immigration attorney "
        "or an accredited representative.",
        "es": "No puedo dar asesoría legal de inmigración. Habla con un abogado de "
        "inmigración o con un representante acreditado.",
        "fr": "Je ne peux pas donner de conseil juridique en matière d'immigration. "
        "Adressez-vous à un avocat en immigration ou à un représentant accrédité.",
        "de": "Ich kann keine Rechtsberatung zu Einwanderungsfragen geben. Wenden Sie sich an "
        "eine Anwaltskanzlei für Einwanderungsrecht oder eine anerkannte Beratungsstelle.",
    },
    "legal_action": {
        "en": "I can't give legal advice or write legal documents. For legal advice, please "
        "contact a lawyer or a legal aid office.",
        "es": "No puedo dar asesoría legal ni redactar documentos legales. Para asesoría "
        "legal, contacta a un abogado o una oficina de ayuda legal.",
        "fr": "Je ne peux pas donner de conseil juridique ni rédiger d'actes. Pour un avis "
        "juridique, contactez un avocat ou un service d'aide juridique.",
        "de": "Ich kann keine Rechtsberatung geben oder Schriftsätze verfassen. Für Rechtsrat "
        "wenden Sie sich an eine Anwaltskanzlei oder eine Rechtsberatungsstelle.",
    },
    "account_action": {
        "en": "I can't access or change accounts. Please update your details yourself on the "
        "agency's official website.",
        "es": "No puedo entrar ni cambiar cuentas. Actualiza tus datos tú mismo en el sitio "
        "web oficial de la agencia.",
        "fr": "Je ne peux ni accéder aux comptes ni les modifier. Mettez à jour vos "
        "informations vous-même sur le site officiel de l'administration.",
        "de": "Ich kann keine Konten öffnen oder ändern. Aktualisieren Sie Ihre Daten selbst "
        "auf der offiziellen Website der Behörde.",
    },
    "investment": {
        "en": "I can't give investment advice. For that, please talk to a licensed financial "
        "adviser.",
        "es": "No puedo dar consejos de inversión. Para eso, habla con un asesor financiero "
        "autorizado.",
        "fr": "Je ne peux pas donner de conseils d'investissement. Pour cela, adressez-vous à "
        "un conseiller financier agréé.",
        "de": "Ich kann keine Anlageberatung geben. Wenden Sie sich dafür an eine zugelassene "
        "Finanzberatung.",
    },
    "off_topic": {
        "en": "I can help only with {name}. For other questions, please use the right "
        "official service.",
        "es": "Solo puedo ayudar con {name}. Para otras preguntas, usa el servicio oficial "
        "adecuado.",
        "fr": "Je ne peux aider que pour : {name}. Pour d'autres questions, utilisez le "
        "service officiel adapté.",
        "de": "Ich kann nur bei folgendem Thema helfen: {name}. Für andere Fragen nutzen Sie "
        "bitte den passenden offiziellen Dienst.",
    },
}
# Added to a generic text when the pack names where a person can get help.
CHANNEL_HINT = {
    "en": "For more help: {channel}",
    "es": "Para más ayuda: {channel}",
    "fr": "Pour plus d'aide : {channel}",
    "de": "Weitere Hilfe: {channel}",
}
# A raw model is no assistant with sources: it says only that it will not change.
RAW_TEXTS: dict[str, dict[str, str]] = {
    "injection": {
        "en": "I can't change how I work, set my instructions aside or reveal them. Please "
        "ask your question another way.",
        "es": "No puedo cambiar cómo funciono, dejar de lado mis instrucciones ni revelarlas. "
        "Haz tu pregunta de otra manera.",
        "fr": "Je ne peux pas changer ma façon de fonctionner, ignorer mes instructions ni "
        "les révéler. Posez votre question autrement.",
        "de": "Ich kann meine Arbeitsweise nicht ändern, meine Anweisungen nicht übergehen "
        "und nicht offenlegen. Bitte stellen Sie Ihre Frage anders.",
    },
}


def reply_for(reason: str, language: str, pack: Pack | None) -> str:
    """Return the localized reply for a policy reason: the pack's own, else the generic one.

    A language the pack does not word falls back to the generic text in that language, then
    to the pack's English, then to the generic English.
    """
    if pack is None:
        texts = RAW_TEXTS.get(reason) or DEFAULT_TEXTS[reason]
        return texts.get(language) or texts["en"]
    own = pack.policy_texts.get(reason, {})
    text = own.get(language)
    if text is None:
        generic = DEFAULT_TEXTS[reason].get(language)
        if generic is not None:
            text = with_channel(generic, language, pack)
        else:
            text = own.get("en") or with_channel(DEFAULT_TEXTS[reason]["en"], "en", pack)
    return text.replace("{name}", pack.name).replace("{channel}", redirect_channel(pack))


def redirect_channel(pack: Pack) -> str:
    """Return where the pack sends people for help a person must give, or ''."""
    return str(pack.scope.get("redirect_channel") or "")


def with_channel(text: str, language: str, pack: Pack) -> str:
    """Return a generic text, pointing to the pack's redirect channel when it has one."""
    if not redirect_channel(pack):
        return text
    return f"{text} {CHANNEL_HINT.get(language, CHANNEL_HINT['en'])}"


def check_input(question: str, language: str, pack: Pack | None) -> PolicyDecision | None:
    """Return what to say instead of answering, or None when the question may be answered.

    With no pack (a raw model), only the general rules apply and nothing is off-topic.
    """
    text = fold(question)
    own = pack.policy_patterns if pack is not None else {}
    for reason, action, pattern in RULES:
        if pack is None and reason not in GENERAL_REASONS:
            continue
        if pattern.search(text) or (reason in own and re.search(own[reason], text)):
            return PolicyDecision(action, reason, reply_for(reason, language, pack))
    if pack is None:
        return None
    keywords = [fold(k) for k in pack.scope.get("keywords", [])]
    if keywords and not any(k in text for k in keywords):
        return PolicyDecision("redirect", "off_topic", reply_for("off_topic", language, pack))
    return None


def read_policy_patterns(path: Path, value: Any) -> dict[str, str]:
    """Return a pack's ``policy_patterns`` (reason -> list of patterns), each reason's joined.

    Raise ConfigError naming the pack file for an unknown reason or a pattern that is not a
    valid regular expression.
    """
    if value is None:
        return {}
    reasons = [reason for reason, _, _ in RULES]
    known = ", ".join(reasons)
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: policy_patterns must map a reason ({known}) to patterns.")
    joined: dict[str, str] = {}
    for reason, patterns in value.items():
        if reason not in reasons:
            raise ConfigError(
                f"{path}: policy_patterns has an unknown reason {reason!r}. Use one of: {known}."
            )
        if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
            raise ConfigError(f"{path}: policy_patterns.{reason} must be a list of patterns.")
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(
                    f"{path}: policy_patterns.{reason} has a bad pattern {pattern!r}: {exc}"
                ) from exc
        joined[reason] = "|".join(f"(?:{p})" for p in patterns)
    return joined
