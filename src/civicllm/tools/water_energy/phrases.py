"""The sentences a water-energy view says, in English, Spanish, French and German.

Each template takes already formatted numbers (``names.format_*``) and localized names; a
sentence states only the numbers it is given. Written for civicllm, in plain words. French
templates never put a number right after another number with only a space between them
(the French thousands separator is a space), so a reader, and the verifier, read each
number whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["LABELS", "STATEMENTS", "TEXTS"]

_P = MappingProxyType

# "{place}", "{value}" (with its unit sign) and "{year}".
STATEMENTS: Mapping[str, Mapping[str, str]] = _P(
    {
        "en": _P(
            {
                "electricity_access": "{place}, {year}: {value} of the population had access "
                "to electricity.",
                "electricity_access_urban": "{place}, {year}: {value} of the urban population "
                "had access to electricity.",
                "electricity_access_rural": "{place}, {year}: {value} of the rural population "
                "had access to electricity.",
                "td_losses": "{place}, {year}: electric power transmission and distribution "
                "losses were {value} of output.",
                "water_basic": "{place}, {year}: {value} of the population used at least basic "
                "drinking water services.",
                "water_safely_managed": "{place}, {year}: {value} of the population used "
                "safely managed drinking water services.",
                "population": "{place}, {year}: the population was {value}.",
            }
        ),
        "es": _P(
            {
                "electricity_access": "{place}, {year}: el {value} de la población tenía "
                "acceso a la electricidad.",
                "electricity_access_urban": "{place}, {year}: el {value} de la población "
                "urbana tenía acceso a la electricidad.",
                "electricity_access_rural": "{place}, {year}: el {value} de la población "
                "rural tenía acceso a la electricidad.",
                "td_losses": "{place}, {year}: las pérdidas de transmisión y distribución de "
                "electricidad fueron el {value} de la producción.",
                "water_basic": "{place}, {year}: el {value} de la población usaba al menos un "
                "servicio básico de agua potable.",
                "water_safely_managed": "{place}, {year}: el {value} de la población usaba "
                "agua potable gestionada de forma segura.",
                "population": "{place}, {year}: la población era de {value}.",
            }
        ),
        "fr": _P(
            {
                "electricity_access": "{place}, {year} : {value} de la population avait accès "
                "à l'électricité.",
                "electricity_access_urban": "{place}, {year} : {value} de la population "
                "urbaine avait accès à l'électricité.",
                "electricity_access_rural": "{place}, {year} : {value} de la population "
                "rurale avait accès à l'électricité.",
                "td_losses": "{place}, {year} : les pertes de transport et de distribution "
                "d'électricité représentaient {value} de la production.",
                "water_basic": "{place}, {year} : {value} de la population utilisait au moins "
                "un service élémentaire d'eau potable.",
                "water_safely_managed": "{place}, {year} : {value} de la population utilisait "
                "une eau potable gérée en toute sécurité.",
                "population": "{place}, {year} : la population était de {value}.",
            }
        ),
        "de": _P(
            {
                "electricity_access": "{place}, {year}: {value} der Bevölkerung hatten Zugang "
                "zu Strom.",
                "electricity_access_urban": "{place}, {year}: {value} der städtischen "
                "Bevölkerung hatten Zugang zu Strom.",
                "electricity_access_rural": "{place}, {year}: {value} der ländlichen "
                "Bevölkerung hatten Zugang zu Strom.",
                "td_losses": "{place}, {year}: Die Übertragungs- und Verteilungsverluste im "
                "Stromnetz betrugen {value} der Erzeugung.",
                "water_basic": "{place}, {year}: {value} der Bevölkerung nutzten mindestens "
                "eine grundlegende Trinkwasserversorgung.",
                "water_safely_managed": "{place}, {year}: {value} der Bevölkerung nutzten "
                "sicher verwaltetes Trinkwasser.",
                "population": "{place}, {year}: Die Bevölkerung betrug {value}.",
            }
        ),
    }
)

# Short indicator labels for titles, table headings and chart axes.
LABELS: Mapping[str, Mapping[str, str]] = _P(
    {
        "en": _P(
            {
                "electricity_access": "Access to electricity (% of population)",
                "electricity_access_urban": "Access to electricity, urban (% of urban population)",
                "electricity_access_rural": "Access to electricity, rural (% of rural population)",
                "td_losses": "Transmission and distribution losses (% of output)",
                "water_basic": "At least basic drinking water (% of population)",
                "water_safely_managed": "Safely managed drinking water (% of population)",
                "population": "Population",
            }
        ),
        "es": _P(
            {
                "electricity_access": "Acceso a la electricidad (% de la población)",
                "electricity_access_urban": "Acceso a la electricidad, urbano (% de la "
                "población urbana)",
                "electricity_access_rural": "Acceso a la electricidad, rural (% de la "
                "población rural)",
                "td_losses": "Pérdidas de transmisión y distribución (% de la producción)",
                "water_basic": "Agua potable al menos básica (% de la población)",
                "water_safely_managed": "Agua potable gestionada de forma segura (% de la "
                "población)",
                "population": "Población",
            }
        ),
        "fr": _P(
            {
                "electricity_access": "Accès à l'électricité (% de la population)",
                "electricity_access_urban": "Accès à l'électricité, urbain (% de la "
                "population urbaine)",
                "electricity_access_rural": "Accès à l'électricité, rural (% de la "
                "population rurale)",
                "td_losses": "Pertes de transport et de distribution (% de la production)",
                "water_basic": "Eau potable au moins élémentaire (% de la population)",
                "water_safely_managed": "Eau potable gérée en toute sécurité (% de la population)",
                "population": "Population",
            }
        ),
        "de": _P(
            {
                "electricity_access": "Zugang zu Strom (% der Bevölkerung)",
                "electricity_access_urban": "Zugang zu Strom, städtisch (% der städtischen "
                "Bevölkerung)",
                "electricity_access_rural": "Zugang zu Strom, ländlich (% der ländlichen "
                "Bevölkerung)",
                "td_losses": "Übertragungs- und Verteilungsverluste (% der Erzeugung)",
                "water_basic": "Mindestens grundlegende Trinkwasserversorgung (% der Bevölkerung)",
                "water_safely_managed": "Sicher verwaltetes Trinkwasser (% der Bevölkerung)",
                "population": "Bevölkerung",
            }
        ),
    }
)

# Everything else a view says. Placeholders are named; "{dataset}" is a publisher's file.
TEXTS: Mapping[str, Mapping[str, str]] = _P(
    {
        "en": _P(
            {
                "coverage_equals": "The {group} figure for {year} is exactly {country}'s value.",
                "urban": "Urban",
                "rural": "Rural",
                "area": "Area",
                "country": "Country",
                "value": "Value",
                "unit": "Unit",
                "latest": " ({year} is the latest year with a value.)",
                "up": "From {start} to {end}, it rose by {change}, from {first} to {last}.",
                "down": "From {start} to {end}, it fell by {change}, from {first} to {last}.",
                "same": "From {start} to {end}, it did not change: {first} in both years.",
                "points": "{value} percentage points",
                "people_n": "{value} people",
                "higher": "In {year}, the value for {a} was {gap} higher than for {b}.",
                "equal": "In {year}, {a} and {b} had the same value.",
                "rank_head_highest": "Highest values in {group} in {year}: {items}.",
                "rank_head_lowest": "Lowest values in {group} in {year}: {items}.",
                "rank_item": "{rank}. {place} ({value})",
                "urban_rural": "{place}, {year}: {urban} of the urban population and {rural} "
                "of the rural population had access to electricity, a gap of {gap}.",
                "without": "{place}, {year}: about {people} did not have {what}; the share "
                "with it was {share}, of a population of {population}.",
                "what_electricity_access": "access to electricity",
                "what_water_basic": "at least basic drinking water",
                "what_water_safely_managed": "safely managed drinking water",
                "missing_before": "{dataset} has no value for {place} in {year}; its series "
                "starts in {first}.",
                "missing_after": "{dataset} has no value for {place} in {year}; its latest "
                "year is {last}.",
                "missing_gap": "{dataset} has no value for {place} in {year}.",
                "missing_place": "{dataset} has no data on this indicator for {place}.",
                "missing_population": "The World Bank population file has no value for "
                "{place} in {year}, so the number of people cannot be worked out.",
                "coverage_one": "In {year}, {country} is the only member of {group} with a "
                "value, so the {group} figure is {country}'s alone.",
                "coverage_few": "In {year}, only {count} of the {members} members of {group} "
                "have a value ({countries}), so the {group} figure reflects them alone.",
                "coverage_many": "In {year}, only {count} of the {members} members of {group} "
                "have a value, so the {group} figure reflects them alone.",
                "release_urban_rural": "The urban and rural figures come from an older World "
                "Bank release (a DataBank export) than the total access figures.",
                "losses": "Transmission and distribution losses are the reliability measure "
                "in this data: they show how much electricity is lost on the way to users, "
                "not how often the power goes out.",
                "years_differ": "The places have no common year with a value, so each is "
                "shown for its own latest year.",
                "wb": "The World Bank file",
                "owid": "The Our World in Data (WHO/UNICEF JMP) file",
                "place": "Place",
                "year": "Year",
                "rank": "Rank",
                "resolved": "{name} is {place} (code {code}).",
                "region_of": "Region: {region}. Income group: {income}.",
                "group_of": "{place} has {members} member countries in this data.",
            }
        ),
        "es": _P(
            {
                "coverage_equals": "La cifra de {group} para {year} es exactamente la de "
                "{country}.",
                "urban": "Urbana",
                "rural": "Rural",
                "area": "Zona",
                "country": "País",
                "value": "Valor",
                "unit": "Unidad",
                "latest": " ({year} es el último año con un valor).",
                "up": "De {start} a {end}, aumentó {change}, de {first} a {last}.",
                "down": "De {start} a {end}, bajó {change}, de {first} a {last}.",
                "same": "De {start} a {end}, no cambió: {first} en ambos años.",
                "points": "{value} puntos porcentuales",
                "people_n": "{value} personas",
                "higher": "En {year}, el valor de {a} fue {gap} más alto que el de {b}.",
                "equal": "En {year}, {a} y {b} tuvieron el mismo valor.",
                "rank_head_highest": "Valores más altos en {group} en {year}: {items}.",
                "rank_head_lowest": "Valores más bajos en {group} en {year}: {items}.",
                "rank_item": "{rank}. {place} ({value})",
                "urban_rural": "{place}, {year}: el {urban} de la población urbana y el "
                "{rural} de la población rural tenían acceso a la electricidad, una "
                "diferencia de {gap}.",
                "without": "{place}, {year}: unas {people} no tenían {what}; la parte que "
                "sí lo tenía era del {share}, de una población de {population}.",
                "what_electricity_access": "acceso a la electricidad",
                "what_water_basic": "al menos un servicio básico de agua potable",
                "what_water_safely_managed": "agua potable gestionada de forma segura",
                "missing_before": "{dataset} no tiene ningún valor para {place} en {year}; "
                "su serie empieza en {first}.",
                "missing_after": "{dataset} no tiene ningún valor para {place} en {year}; "
                "su último año es {last}.",
                "missing_gap": "{dataset} no tiene ningún valor para {place} en {year}.",
                "missing_place": "{dataset} no tiene datos de este indicador para {place}.",
                "missing_population": "El archivo de población del Banco Mundial no tiene "
                "valor para {place} en {year}, así que no se puede calcular el número de "
                "personas.",
                "coverage_one": "En {year}, {country} es el único miembro de {group} con un "
                "valor, así que la cifra de {group} es solo la de {country}.",
                "coverage_few": "En {year}, solo {count} de los {members} miembros de {group} "
                "tienen un valor ({countries}), así que la cifra de {group} refleja solo a "
                "esos países.",
                "coverage_many": "En {year}, solo {count} de los {members} miembros de {group} "
                "tienen un valor, así que la cifra de {group} refleja solo a esos países.",
                "release_urban_rural": "Las cifras urbanas y rurales vienen de una edición "
                "anterior del Banco Mundial (una exportación de DataBank) que las del acceso "
                "total.",
                "losses": "Las pérdidas de transmisión y distribución son la medida de "
                "fiabilidad de estos datos: muestran cuánta electricidad se pierde en la red, "
                "no con qué frecuencia se corta el suministro.",
                "years_differ": "Los lugares no tienen un año común con valor, así que cada "
                "uno se muestra en su último año.",
                "wb": "El archivo del Banco Mundial",
                "owid": "El archivo de Our World in Data (JMP de la OMS y UNICEF)",
                "place": "Lugar",
                "year": "Año",
                "rank": "Puesto",
                "resolved": "{name} es {place} (código {code}).",
                "region_of": "Región: {region}. Grupo de ingresos: {income}.",
                "group_of": "{place} tiene {members} países miembros en estos datos.",
            }
        ),
        "fr": _P(
            {
                "coverage_equals": "Le chiffre du groupe {group} pour {year} est exactement "
                "la valeur de ce pays : {country}.",
                "urban": "Urbaine",
                "rural": "Rurale",
                "area": "Zone",
                "country": "Pays",
                "value": "Valeur",
                "unit": "Unité",
                "latest": " ({year} est la dernière année avec une valeur.)",
                "up": "Entre {start} et {end}, la valeur a augmenté de {change}, passant de "
                "{first} à {last}.",
                "down": "Entre {start} et {end}, la valeur a baissé de {change}, passant de "
                "{first} à {last}.",
                "same": "Entre {start} et {end}, la valeur n'a pas changé : {first} les deux "
                "années.",
                "points": "{value} points de pourcentage",
                "people_n": "{value} personnes",
                "higher": "En {year}, {a} dépassait {b} de {gap}.",
                "equal": "En {year}, {a} et {b} avaient la même valeur.",
                "rank_head_highest": "Valeurs les plus élevées en {year}, {group} : {items}.",
                "rank_head_lowest": "Valeurs les plus faibles en {year}, {group} : {items}.",
                "rank_item": "{rank}. {place} ({value})",
                "urban_rural": "{place}, {year} : {urban} de la population urbaine et "
                "{rural} de la population rurale avaient accès à l'électricité, soit un écart "
                "de {gap}.",
                "without": "{place}, {year} : environ {people} n'avaient pas {what} ; la "
                "part qui y avait accès était de {share}, pour une population de "
                "{population}.",
                "what_electricity_access": "accès à l'électricité",
                "what_water_basic": "accès à un service au moins élémentaire d'eau potable",
                "what_water_safely_managed": "accès à une eau potable gérée en toute sécurité",
                "missing_before": "{dataset} n'a pas de valeur pour {place} en {year} ; sa "
                "série commence en {first}.",
                "missing_after": "{dataset} n'a pas de valeur pour {place} en {year} ; sa "
                "dernière année est {last}.",
                "missing_gap": "{dataset} n'a pas de valeur pour {place} en {year}.",
                "missing_place": "{dataset} n'a pas de données sur cet indicateur pour {place}.",
                "missing_population": "Le fichier de population de la Banque mondiale n'a "
                "pas de valeur pour {place} en {year} : le nombre de personnes ne peut donc "
                "pas être calculé.",
                "coverage_one": "En {year}, {country} est le seul membre du groupe {group} "
                "avec une valeur : le chiffre du groupe est donc celui de ce seul pays.",
                "coverage_few": "En {year}, seuls {count} des {members} membres du groupe "
                "{group} ont une valeur ({countries}) : le chiffre du groupe ne reflète "
                "qu'eux.",
                "coverage_many": "En {year}, seuls {count} des {members} membres du groupe "
                "{group} ont une valeur : le chiffre du groupe ne reflète qu'eux.",
                "release_urban_rural": "Les chiffres urbains et ruraux viennent d'une "
                "édition plus ancienne de la Banque mondiale (un export DataBank) que ceux "
                "de l'accès total.",
                "losses": "Les pertes de transport et de distribution sont la mesure de "
                "fiabilité de ces données : elles montrent combien d'électricité se perd sur "
                "le réseau, pas la fréquence des coupures.",
                "years_differ": "Les lieux n'ont pas d'année commune avec une valeur : "
                "chacun est montré pour sa dernière année.",
                "wb": "Le fichier de la Banque mondiale",
                "owid": "Le fichier d'Our World in Data (JMP de l'OMS et de l'UNICEF)",
                "place": "Lieu",
                "year": "Année",
                "rank": "Rang",
                "resolved": "{name} désigne {place} (code {code}).",
                "region_of": "Région : {region}. Groupe de revenu : {income}.",
                "group_of": "{place} compte {members} pays membres dans ces données.",
            }
        ),
        "de": _P(
            {
                "coverage_equals": "Die Zahl für {group} im Jahr {year} ist genau der Wert "
                "von {country}.",
                "urban": "Städtisch",
                "rural": "Ländlich",
                "area": "Gebiet",
                "country": "Land",
                "value": "Wert",
                "unit": "Einheit",
                "latest": " ({year} ist das letzte Jahr mit einem Wert.)",
                "up": "Von {start} bis {end} stieg der Wert um {change}, von {first} auf {last}.",
                "down": "Von {start} bis {end} sank der Wert um {change}, von {first} auf {last}.",
                "same": "Von {start} bis {end} blieb der Wert gleich: {first} in beiden Jahren.",
                "points": "{value} Prozentpunkte",
                "people_n": "{value} Menschen",
                "higher": "Im Jahr {year} lag der Wert für {a} um {gap} über dem für {b}.",
                "equal": "Im Jahr {year} hatten {a} und {b} denselben Wert.",
                "rank_head_highest": "Höchste Werte in {group} im Jahr {year}: {items}.",
                "rank_head_lowest": "Niedrigste Werte in {group} im Jahr {year}: {items}.",
                "rank_item": "{rank}. {place} ({value})",
                "urban_rural": "{place}, {year}: {urban} der städtischen und {rural} der "
                "ländlichen Bevölkerung hatten Zugang zu Strom; der Abstand beträgt {gap}.",
                "without": "{place}, {year}: Etwa {people} hatten keinen {what}; der Anteil "
                "mit Zugang lag bei {share}, bei einer Bevölkerung von {population}.",
                "what_electricity_access": "Zugang zu Strom",
                "what_water_basic": "Zugang zu mindestens grundlegender Trinkwasserversorgung",
                "what_water_safely_managed": "Zugang zu sicher verwaltetem Trinkwasser",
                "missing_before": "{dataset} hat für {place} keinen Wert für {year}; die "
                "Reihe beginnt {first}.",
                "missing_after": "{dataset} hat für {place} keinen Wert für {year}; das "
                "letzte Jahr ist {last}.",
                "missing_gap": "{dataset} hat für {place} keinen Wert für {year}.",
                "missing_place": "{dataset} hat für {place} keine Daten zu diesem Indikator.",
                "missing_population": "Die Bevölkerungsdatei der Weltbank hat für {place} "
                "keinen Wert für {year}, daher lässt sich die Zahl der Menschen nicht "
                "berechnen.",
                "coverage_one": "Im Jahr {year} hat nur {country} unter den Mitgliedern von "
                "{group} einen Wert; die Zahl für {group} ist also allein die von {country}.",
                "coverage_few": "Im Jahr {year} haben nur {count} der {members} Mitglieder von "
                "{group} einen Wert ({countries}); die Zahl für {group} gibt nur sie wieder.",
                "coverage_many": "Im Jahr {year} haben nur {count} der {members} Mitglieder "
                "von {group} einen Wert; die Zahl für {group} gibt nur sie wieder.",
                "release_urban_rural": "Die städtischen und ländlichen Werte stammen aus "
                "einer älteren Ausgabe der Weltbank (einem DataBank-Export) als die Werte "
                "zum Gesamtzugang.",
                "losses": "Übertragungs- und Verteilungsverluste sind das Maß für "
                "Zuverlässigkeit in diesen Daten: Sie zeigen, wie viel Strom im Netz verloren "
                "geht, nicht, wie oft der Strom ausfällt.",
                "years_differ": "Die Orte haben kein gemeinsames Jahr mit Wert; jeder wird "
                "für sein letztes Jahr gezeigt.",
                "wb": "Die Datei der Weltbank",
                "owid": "Die Datei von Our World in Data (JMP von WHO und UNICEF)",
                "place": "Ort",
                "year": "Jahr",
                "rank": "Rang",
                "resolved": "{name} ist {place} (Code {code}).",
                "region_of": "Region: {region}. Einkommensgruppe: {income}.",
                "group_of": "{place} hat in diesen Daten {members} Mitgliedsländer.",
            }
        ),
    }
)
