"""Word lists the support check reads claims with, in en, es, fr and de (accent-folded).

Each entry maps a word, or the start of a word, to a canonical key shared by the four
languages, so "Saturdays", "sábados", "samedi" and "samstags" are one qualifier and
"free", "gratuita" and "kostenlos" are one polarity-bearing word. Keys have the form
``category:value``; the category is what the binding check compares ("day", "extent",
"status"...). The lists are small on purpose: a word that is missing here is still compared
as a word, and only the claims made of listed words gain cross-language checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "GENERIC",
    "NEGATED_WORDS",
    "NEGATIONS",
    "PHRASES",
    "PREFIXES",
    "WORDS",
    "category",
]


def _table(spec: Mapping[str, str]) -> Mapping[str, str]:
    table: dict[str, str] = {}
    for key, words in spec.items():
        for word in words.split():
            table[word] = key
    return MappingProxyType(table)


# Multi-word expressions, rewritten to one token before reading (order matters: longest first).
PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\b(?:monday|mon)\s+(?:to|through|thru|-)\s+(?:friday|fri)\b", " weekdays "),
        (r"\b(?:de\s+)?lunes\s+a\s+viernes\b", " weekdays "),
        (r"\b(?:du\s+)?lundi\s+au\s+vendredi\b", " weekdays "),
        (r"\b(?:von\s+)?montag\s+bis\s+freitag\b", " weekdays "),
        (r"\bentre\s+semana\b|\ben\s+semaine\b", " weekdays "),
        (r"\bfull[\s-]+time\b|\btiempo\s+completo\b|\btemps\s+plein\b", " fulltime "),
        (
            r"\bpart[\s-]+time\b|\b(?:medio\s+tiempo|tiempo\s+parcial)\b|\btemps\s+partiel\b",
            " parttime ",
        ),
        (r"\b(?:pay(?:s|ing)?|paid)\s+(?:it\s+|them\s+|this\s+)?back\b", " repay "),
        (
            r"\bup\s+to\b|\bat\s+most\b|\bno\s+more\s+than\b|\bcomo\s+maximo\b|\bau\s+plus\b"
            r"|\bbis\s+zu\b|\bjusqu'?\s*a\b|\bhasta\b|\bas\s+many\s+as\b|\bas\s+much\s+as\b",
            " atmost ",
        ),
        (
            r"\bat\s+least\b|\bor\s+more\b|\bcomo\s+minimo\b|\bal\s+menos\b|\bpor\s+lo\s+menos\b"
            r"|\bau\s+moins\b",
            " atleast ",
        ),
        (r"\bno[\s-]+one\b", " nobody "),
        (r"\bfree\s+of\s+charge\b", " free "),
        (r"\bhow\s+(?:much|many)\b", " how "),
        (r"\bn't\b|n't\b", " not"),
        (r"\bcannot\b", " can not "),
        (r"\bn'", " ne "),
    )
)

# Exact words.
WORDS: Mapping[str, str] = _table(
    {
        "day:weekday": "weekday weekdays werktags weekdaysx",
        "day:weekend": "weekend weekends",
        "day:holiday": "holiday holidays festivo festivos feriado feriados ferie feries",
        "day:mon": "monday mondays lunes lundi lundis",
        "day:tue": "tuesday tuesdays martes mardi mardis",
        "day:wed": "wednesday wednesdays miercoles mercredi mercredis",
        "day:thu": "thursday thursdays jueves jeudi jeudis",
        "day:fri": "friday fridays viernes vendredi vendredis",
        "day:sat": "saturday saturdays sabado sabados samedi samedis",
        "day:sun": "sunday sundays domingo domingos dimanche dimanches",
        "month:1": "january enero janvier januar",
        "month:2": "february febrero fevrier februar",
        "month:3": "marzo mars marz",
        "month:4": "april abril avril",
        "month:5": "mayo",
        "month:6": "june junio juin juni",
        "month:7": "july julio juillet juli",
        "month:8": "august agosto aout",
        "month:9": "september septiembre septembre",
        "month:10": "october octubre octobre oktober",
        "month:11": "november noviembre novembre",
        "month:12": "december diciembre decembre dezember",
        "extent:max": "maximum max maxima maximo maximal maximale maximaux largest biggest "
        "greatest most highest atmost hochstens hochstbetrag",
        "extent:min": "minimum min minima minimo minimal minimale smallest least lowest "
        "atleast mindestens mindestbetrag",
        "compare:low": "lower less fewer smaller below under menos menor menores inferior "
        "inferieur moins weniger niedriger unter",
        "compare:high": "higher more greater larger above over mayor mayores superior "
        "superieur plus mehr hoher uber",
        "status:dependent": "dependent dependiente dependientes dependant dependante abhangig",
        "status:independent": "independent independiente independientes independant "
        "independante unabhangig",
        "level:undergraduate": "undergraduate undergraduates pregrado licence",
        "level:graduate": "graduate graduates posgrado master masters doctorate doctorado",
        "load:fulltime": "fulltime vollzeit",
        "load:parttime": "parttime teilzeit",
        "customer:residential": "residential residencial residenciales residentiel "
        "residentiels privat private",
        "customer:commercial": "commercial commerciale commerciaux comercial comerciales "
        "gewerblich gewerbliche business businesses",
        "customer:community": "community comunitario comunitarios associatif associatifs "
        "associations gemeinnutzig",
        "age:adult": "adult adults adulto adultos adulte adultes erwachsene erwachsener",
        "age:child": "child children kid kids nino nina ninos ninas enfant enfants kind kinder",
        "bound:start": "open opens opening abre abren ouvre ouvrent offnet start starts "
        "begin begins empieza comienza commence beginnt",
        "bound:end": "close closes cierra cierran ferme ferment schliesst ends termina "
        "termine finit endet",
        "unit:dollar": "$ dollar dollars dolar dolares usd",
        "unit:euro": "€ euro euros eur",
        "unit:percent": "% percent porcentaje pourcent prozent",
        "unit:cent": "cent cents centavo centavos centime centimes",
        "unit:day": "day days dia dias jour jours tag tage tagen",
        "unit:week": "week weeks semana semanas semaine semaines woche wochen",
        "unit:month": "month months mes meses mois monat monate monaten",
        "unit:year": "year years ano anos ans annee annees jahr jahre jahren",
        "unit:hour": "hour hours hora horas heure heures stunde stunden",
        "unit:item": "item items articulo articulos document documents medien",
        "unit:semester": "semester semesters semestre semestres",
        "unit:person": "person persons people persona personas personne personnes personen",
        "unit:gallon": "gallon gallons galon galones",
        "unit:employee": "employee employees empleado empleados salarie salaries "
        "mitarbeiter beschaftigte",
        "unit:times": "times veces fois mal",
        "all:all": "all todos todas tous toutes alle always siempre toujours immer",
        "only:only": "only solo solamente unicamente seulement uniquement nur",
        "wh:wh": "what when where who whom whose which why how whether donde quien quienes "
        "cuanto cuanta cuantos cuantas combien pourquoi quand wann warum wieviel",
        "cost:cost": "pay pays paid paying payment cost costs fee fees charge charges "
        "charged pagar paga pagan pague costo coste cuesta tarifa cargo payer paie paient "
        "frais coute coutent zahlen zahlt kostet kosten gebuhr gebuhren",
        "limit:limit": "limit limits limited limite limites limitado grenze begrenzt",
        "repay:repay": "repay repaid devolver devolverse rembourser zuruckzahlen",
        "borrow:borrow": "borrow borrowed lend lent loan loaned prestar prestan prestado "
        "prestados emprunter empruntes ausleihen entleihen",
        "income:income": "income incomes earn earns earning earnings ingreso ingresos "
        "revenu revenus einkommen verdienst",
        "apply:apply": "apply applies cover covers aplica aplican cubre applique couvre gilt",
        "submit:submit": "file filing filed submit submitted presentar soumettre deposer "
        "einreichen eingereicht send sends sent enviar envoyer senden schicken geschickt",
        "additional:additional": "additional extra adicional adicionales supplementaire "
        "zusatzlich zusatzliche weitere",
    }
)

# Words that carry a negation inside them: "free" is "costs nothing", "closed" is "not open".
NEGATED_WORDS: Mapping[str, str] = _table(
    {
        "cost:cost": "free gratis gratuito gratuita gratuitos gratuit gratuite kostenlos "
        "gebuhrenfrei",
        "limit:limit": "unlimited ilimitado ilimitada illimite illimitee unbegrenzt",
        "bound:start": "closed cerrado cerrada cerrados fermee fermes fermees geschlossen",
    }
)

# Starts of words (German compounds and inflections): checked when no exact word matched.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("samstag", "day:sat"),
    ("sonntag", "day:sun"),
    ("montag", "day:mon"),
    ("dienstag", "day:tue"),
    ("mittwoch", "day:wed"),
    ("donnerstag", "day:thu"),
    ("freitag", "day:fri"),
    ("feiertag", "day:holiday"),
    ("werktag", "day:weekday"),
    ("wochentag", "day:weekday"),
    ("hochst", "extent:max"),
    ("mindest", "extent:min"),
    ("niedrigst", "extent:min"),
    ("geringst", "extent:min"),
    ("maxim", "extent:max"),
    ("minim", "extent:min"),
    ("erwachsen", "age:adult"),
    ("kinder", "age:child"),
    ("prestam", "borrow:borrow"),
)

NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor without ne pas jamais sans aucun aucune "
    "rien nunca jamas sin ningun ninguna ninguno nadie nada tampoco ni nicht kein keine "
    "keinen keinem keiner keines nie niemals ohne nichts weder niemand".split()
)

# Words a faithful paraphrase adds freely: they change no fact.
GENERIC = frozenset(
    "get gets got getting receive receives received obtain obtains make makes made need "
    "needs needed able allowed also usually one someone anyone you your their can may must "
    "have has having there yes obtener obtiene recibir recibe puede pueden hay tener tiene "
    "obtenir obtient recevoir recoit peut peuvent bekommen bekommt erhalten erhalt gibt "
    "kann konnen muss mussen ausserdem aussi tambien uhr go goes went gone us each every per "
    "pro cada chaque jede jeder jedes jeden".split()
)


def category(key: str) -> str:
    """Return the category of a canonical key (``day`` for ``day:sat``); "" for plain words."""
    head, sep, _ = key.partition(":")
    return head if sep else ""
