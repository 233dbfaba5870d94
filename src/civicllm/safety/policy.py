"""The input policy: what an assistant declines or redirects before any retrieval.

Each rule is a few multilingual patterns (en, es, fr, de) and a localized reply pointing to
the right official channel. Patterns are deliberately specific: a false refusal of a real
student-aid question costs more than a false answer to an off-topic one, which retrieval
and the verifier still keep honest ("I could not find this in the official sources").
The off-topic rule uses the pack's ``scope.keywords``: a question naming none of them is
redirected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from civicllm.packs.loader import Pack

__all__ = ["PolicyDecision", "check_input"]

Action = Literal["refuse", "redirect"]


@dataclass(frozen=True)
class PolicyDecision:
    """A request the assistant will not answer from its sources, and what it says instead."""

    action: Action
    reason: str
    text: str


def fold(text: str) -> str:
    """Lowercase and strip accents so one pattern matches every spelling."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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
            r"(password|passcode|contrasena|mot de passe|passwort)( del| du| de)?( fsa id)?"
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
            r"(student aid index|sai|ssn|social security|aid|fafsa|pell)"
            r"|list of (the )?students|students .* (with|and) (their )?addresses"
            r"|numero de seguro social de (mi|su)|sai de (mi|su) (hermana|hermano|amig)"
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
            r"|(change|cambiar|modifier|andern) (my|mi|mon|meinen) sai"
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

REPLIES: dict[str, dict[str, str]] = {
    "injection": {
        "en": "I can't change how I work. I answer only from official student aid sources. "
        "Ask me a question about the FAFSA, grants or loans, or visit StudentAid.gov.",
        "es": "No puedo cambiar cómo funciono. Solo respondo con fuentes oficiales de ayuda "
        "estudiantil. Pregúntame sobre la FAFSA, becas o préstamos, o visita StudentAid.gov.",
        "fr": "Je ne peux pas changer ma façon de fonctionner. Je réponds uniquement à partir "
        "des sources officielles. Posez une question sur la FAFSA, les bourses ou les prêts, "
        "ou consultez StudentAid.gov.",
        "de": "Ich kann meine Arbeitsweise nicht ändern. Ich antworte nur aus offiziellen "
        "Quellen. Stellen Sie eine Frage zur FAFSA, zu Zuschüssen oder Darlehen, oder "
        "besuchen Sie StudentAid.gov.",
    },
    "credentials": {
        "en": "Please never share your FSA ID or password with anyone, including me. Only you "
        "can sign in and submit your FAFSA, for free, at StudentAid.gov (fafsa.gov). If you "
        "shared your password, change it now at StudentAid.gov.",
        "es": "Nunca compartas tu FSA ID ni tu contraseña con nadie, tampoco conmigo. Solo tú "
        "puedes entrar y enviar tu FAFSA, gratis, en StudentAid.gov (fafsa.gov). Si ya la "
        "compartiste, cámbiala ahora en StudentAid.gov.",
        "fr": "Ne partagez jamais votre FSA ID ni votre mot de passe, même avec moi. Vous seul "
        "pouvez vous connecter et soumettre la FAFSA, gratuitement, sur StudentAid.gov "
        "(fafsa.gov). Si vous l'avez partagé, changez-le maintenant sur StudentAid.gov.",
        "de": "Geben Sie Ihre FSA ID und Ihr Passwort niemals weiter, auch nicht an mich. Nur "
        "Sie selbst können sich anmelden und die FAFSA kostenlos auf StudentAid.gov "
        "(fafsa.gov) einreichen. Falls Sie es weitergegeben haben, ändern Sie es jetzt.",
    },
    "fraud": {
        "en": "I can't help with giving false information on the FAFSA: it is a federal "
        "offense. For help with a hard financial situation, ask your school's financial aid "
        "office about special circumstances, or call 1-800-433-3243.",
        "es": "No puedo ayudar a dar información falsa en la FAFSA: es un delito federal. Si tu "
        "situación económica es difícil, pregunta en la oficina de ayuda financiera de tu "
        "escuela por circunstancias especiales, o llama al 1-800-433-3243.",
        "fr": "Je ne peux pas aider à donner de fausses informations sur la FAFSA : c'est un "
        "délit fédéral. En cas de difficulté financière, demandez au bureau d'aide financière "
        "de votre école (circonstances particulières) ou appelez le 1-800-433-3243.",
        "de": "Ich kann nicht helfen, falsche Angaben in der FAFSA zu machen: Das ist eine "
        "Bundesstraftat. Bei finanziellen Schwierigkeiten fragen Sie das Financial-Aid-Büro "
        "Ihrer Hochschule nach besonderen Umständen oder rufen Sie 1-800-433-3243 an.",
    },
    "others_data": {
        "en": "I can't look up or share anyone's personal information or aid records. Each "
        "person can see their own at StudentAid.gov; for help, call 1-800-433-3243.",
        "es": "No puedo buscar ni compartir información personal ni datos de ayuda de otras "
        "personas. Cada persona ve los suyos en StudentAid.gov; para ayuda, llama al "
        "1-800-433-3243.",
        "fr": "Je ne peux ni chercher ni partager les informations personnelles ou les aides "
        "d'autres personnes. Chacun voit les siennes sur StudentAid.gov ; pour de l'aide, "
        "appelez le 1-800-433-3243.",
        "de": "Ich kann keine persönlichen Daten oder Förderdaten anderer Personen abrufen "
        "oder weitergeben. Jede Person sieht ihre eigenen auf StudentAid.gov; Hilfe unter "
        "1-800-433-3243.",
    },
    "immigration_legal": {
        "en": "I can't give immigration legal advice. Please talk to an immigration attorney "
        "or a DOJ-accredited representative (find free or low-cost help at justice.gov/eoir). "
        "I can explain how the FAFSA works for mixed-status families.",
        "es": "No puedo dar asesoría legal de inmigración. Habla con un abogado de inmigración "
        "o un representante acreditado por el DOJ (ayuda gratis o de bajo costo en "
        "justice.gov/eoir). Sí puedo explicar cómo funciona la FAFSA en familias de estatus "
        "mixto.",
        "fr": "Je ne peux pas donner de conseil juridique en matière d'immigration. Adressez-"
        "vous à un avocat en immigration ou à un représentant accrédité par le DOJ "
        "(justice.gov/eoir). Je peux expliquer la FAFSA pour les familles à statut mixte.",
        "de": "Ich kann keine Rechtsberatung zu Einwanderungsfragen geben. Wenden Sie sich an "
        "eine Anwältin für Einwanderungsrecht oder eine vom DOJ akkreditierte Vertretung "
        "(justice.gov/eoir). Ich kann erklären, wie die FAFSA für Familien mit gemischtem "
        "Aufenthaltsstatus funktioniert.",
    },
    "legal_action": {
        "en": "I can't give legal advice or write legal documents. For a problem with a loan "
        "or a school, the Federal Student Aid Ombudsman can help: studentaid.gov/feedback-"
        "ombudsman; for legal advice, contact a legal aid office.",
        "es": "No puedo dar asesoría legal ni redactar documentos legales. Para un problema "
        "con un préstamo o una escuela, el Ombudsman de Ayuda Federal puede ayudar: "
        "studentaid.gov/feedback-ombudsman; para asesoría legal, una oficina de ayuda legal.",
        "fr": "Je ne peux pas donner de conseil juridique ni rédiger d'actes. Pour un problème "
        "de prêt ou d'école, l'Ombudsman de Federal Student Aid peut aider : "
        "studentaid.gov/feedback-ombudsman ; pour un avis juridique, une aide juridique.",
        "de": "Ich kann keine Rechtsberatung geben oder Schriftsätze verfassen. Bei Problemen "
        "mit einem Darlehen oder einer Hochschule hilft der FSA-Ombudsman: "
        "studentaid.gov/feedback-ombudsman; für Rechtsrat eine Rechtsberatungsstelle.",
    },
    "account_action": {
        "en": "I can't access or change accounts. Update your contact details yourself at "
        "StudentAid.gov, or contact your loan servicer directly.",
        "es": "No puedo entrar ni cambiar cuentas. Actualiza tus datos tú mismo en "
        "StudentAid.gov o contacta directamente a tu administrador de préstamos.",
        "fr": "Je ne peux ni accéder aux comptes ni les modifier. Mettez à jour vos "
        "coordonnées sur StudentAid.gov ou contactez directement votre gestionnaire de prêt.",
        "de": "Ich kann keine Konten öffnen oder ändern. Aktualisieren Sie Ihre Daten selbst "
        "auf StudentAid.gov oder wenden Sie sich direkt an Ihren Darlehensverwalter.",
    },
    "investment": {
        "en": "I can't give investment advice. Student loans are meant for the cost of "
        "education; to learn about borrowing wisely, see StudentAid.gov.",
        "es": "No puedo dar consejos de inversión. Los préstamos estudiantiles son para el "
        "costo de la educación; para pedir prestado con cuidado, visita StudentAid.gov.",
        "fr": "Je ne peux pas donner de conseils d'investissement. Les prêts étudiants servent "
        "à payer les études ; pour emprunter prudemment, consultez StudentAid.gov.",
        "de": "Ich kann keine Anlageberatung geben. Studiendarlehen sind für die Kosten des "
        "Studiums gedacht; mehr zum klugen Leihen auf StudentAid.gov.",
    },
    "off_topic": {
        "en": "I can help only with {name}. For other questions, please use the right "
        "official service. Try asking me about the FAFSA, Pell Grants or student loans.",
        "es": "Solo puedo ayudar con {name}. Para otras preguntas, usa el servicio oficial "
        "adecuado. Pregúntame sobre la FAFSA, la beca Pell o los préstamos estudiantiles.",
        "fr": "Je ne peux aider que pour : {name}. Pour d'autres questions, utilisez le "
        "service officiel adapté. Demandez-moi la FAFSA, la bourse Pell ou les prêts.",
        "de": "Ich kann nur bei folgendem Thema helfen: {name}. Für andere Fragen nutzen Sie "
        "bitte den passenden offiziellen Dienst. Fragen Sie mich zur FAFSA, zum Pell Grant "
        "oder zu Studiendarlehen.",
    },
}


def reply_for(reason: str, language: str, pack: Pack) -> str:
    """Return the localized reply for a policy reason."""
    texts = REPLIES[reason]
    return texts.get(language, texts["en"]).format(name=pack.name)


def check_input(question: str, language: str, pack: Pack) -> PolicyDecision | None:
    """Return what to say instead of answering, or None when the question is in scope."""
    text = fold(question)
    for reason, action, pattern in RULES:
        if pattern.search(text):
            return PolicyDecision(action, reason, reply_for(reason, language, pack))
    keywords = [fold(k) for k in pack.scope.get("keywords", [])]
    if keywords and not any(k in text for k in keywords):
        return PolicyDecision("redirect", "off_topic", reply_for("off_topic", language, pack))
    return None
