"""The words of the programs view in English, Spanish, French and German (our own wording)."""

from __future__ import annotations

__all__ = ["COMPARE", "FIELDS", "LABELS", "NAMES", "NOTES", "PURPOSES", "STATUS", "STEPS", "TEXTS"]

Words = dict[str, dict[str, str]]

NAMES: Words = {
    "7a": {"en": "7(a) loan", "es": "Préstamo 7(a)", "fr": "Prêt 7(a)", "de": "7(a)-Darlehen"},
    "504": {"en": "504 loan", "es": "Préstamo 504", "fr": "Prêt 504", "de": "504-Darlehen"},
    "microloan": {
        "en": "Microloan",
        "es": "Micropréstamo",
        "fr": "Microprêt",
        "de": "Mikrodarlehen",
    },
    "8a": {
        "en": "8(a) program",
        "es": "Programa 8(a)",
        "fr": "Programme 8(a)",
        "de": "8(a)-Programm",
    },
    "wosb": {"en": "WOSB", "es": "WOSB", "fr": "WOSB", "de": "WOSB"},
    "edwosb": {"en": "EDWOSB", "es": "EDWOSB", "fr": "EDWOSB", "de": "EDWOSB"},
    "hubzone": {"en": "HUBZone", "es": "HUBZone", "fr": "HUBZone", "de": "HUBZone"},
    "vosb": {"en": "VOSB", "es": "VOSB", "fr": "VOSB", "de": "VOSB"},
    "sdvosb": {"en": "SDVOSB", "es": "SDVOSB", "fr": "SDVOSB", "de": "SDVOSB"},
    "sbir": {"en": "SBIR", "es": "SBIR", "fr": "SBIR", "de": "SBIR"},
    "sttr": {"en": "STTR", "es": "STTR", "fr": "STTR", "de": "STTR"},
}

STATUS: Words = {
    "likely_eligible": {
        "en": "likely eligible",
        "es": "probablemente elegible",
        "fr": "probablement admissible",
        "de": "voraussichtlich berechtigt",
    },
    "not_eligible": {
        "en": "not eligible",
        "es": "no elegible",
        "fr": "non admissible",
        "de": "nicht berechtigt",
    },
    "check": {"en": "to check", "es": "por comprobar", "fr": "à vérifier", "de": "zu prüfen"},
}

COMPARE: Words = {
    "at_most": {"en": "at most", "es": "como máximo", "fr": "au plus", "de": "höchstens"},
    "less_than": {"en": "less than", "es": "menos de", "fr": "moins de", "de": "weniger als"},
    "at_least": {"en": "at least", "es": "al menos", "fr": "au moins", "de": "mindestens"},
    "more_than": {"en": "more than", "es": "más de", "fr": "plus de", "de": "mehr als"},
}

# A noun phrase for each figure, or the condition itself for a yes/no rule.
LABELS: Words = {
    "loan_basic_for_profit": {
        "en": "the business must be organized for profit",
        "es": "la empresa debe tener fines de lucro",
        "fr": "l'entreprise doit avoir un but lucratif",
        "de": "das Unternehmen muss gewinnorientiert sein",
    },
    "loan_basic_us": {
        "en": "the business must be located in the United States",
        "es": "la empresa debe estar en los Estados Unidos",
        "fr": "l'entreprise doit être située aux États-Unis",
        "de": "das Unternehmen muss in den USA ansässig sein",
    },
    "loan_basic_small": {
        "en": "the business must be small under SBA's size standard",
        "es": "la empresa debe ser pequeña según la norma de tamaño de la SBA",
        "fr": "l'entreprise doit être petite selon la norme de taille de la SBA",
        "de": "das Unternehmen muss nach dem SBA-Größenstandard klein sein",
    },
    "sbir_for_profit": {
        "en": "the business must be for profit and in the United States",
        "es": "la empresa debe tener fines de lucro y estar en los Estados Unidos",
        "fr": "l'entreprise doit avoir un but lucratif et être aux États-Unis",
        "de": "das Unternehmen muss gewinnorientiert und in den USA sein",
    },
    "loan_7a_max": {
        "en": "the 7(a) loan",
        "es": "el préstamo 7(a)",
        "fr": "le prêt 7(a)",
        "de": "das 7(a)-Darlehen",
    },
    "loan_7a_guaranty_cap": {
        "en": "SBA's guaranteed share per borrower",
        "es": "la parte garantizada por la SBA por prestatario",
        "fr": "la part garantie par la SBA par emprunteur",
        "de": "der SBA-garantierte Anteil je Kreditnehmer",
    },
    "loan_7a_guaranty_small_loan": {
        "en": "the guaranty on loans up to the small-loan limit",
        "es": "la garantía de los préstamos hasta el límite de préstamo pequeño",
        "fr": "la garantie des prêts jusqu'au plafond des petits prêts",
        "de": "die Garantie für Darlehen bis zur Kleinkreditgrenze",
    },
    "loan_7a_guaranty_small_loan_limit": {
        "en": "the small-loan limit of the higher guaranty",
        "es": "el límite de préstamo pequeño de la garantía mayor",
        "fr": "le plafond des petits prêts de la garantie plus élevée",
        "de": "die Kleinkreditgrenze der höheren Garantie",
    },
    "loan_7a_guaranty_large_loan": {
        "en": "the guaranty on larger loans",
        "es": "la garantía de los préstamos mayores",
        "fr": "la garantie des prêts plus importants",
        "de": "die Garantie für größere Darlehen",
    },
    "loan_504_max": {
        "en": "the 504 loan",
        "es": "el préstamo 504",
        "fr": "le prêt 504",
        "de": "das 504-Darlehen",
    },
    "loan_504_max_special": {
        "en": "the 504 loan of a small manufacturer or an energy project",
        "es": "el préstamo 504 de un pequeño fabricante o un proyecto energético",
        "fr": "le prêt 504 d'un petit fabricant ou d'un projet énergétique",
        "de": "das 504-Darlehen eines kleinen Herstellers oder Energieprojekts",
    },
    "loan_504_min": {
        "en": "the 504 loan",
        "es": "el préstamo 504",
        "fr": "le prêt 504",
        "de": "das 504-Darlehen",
    },
    "loan_504_project_share": {
        "en": "the 504 loan's share of the project cost",
        "es": "la parte del costo del proyecto que cubre el préstamo 504",
        "fr": "la part du coût du projet couverte par le prêt 504",
        "de": "der Anteil des 504-Darlehens an den Projektkosten",
    },
    "loan_504_purpose": {
        "en": "a 504 loan pays for real estate, buildings and long-lived equipment only",
        "es": "un préstamo 504 solo financia inmuebles, edificios y equipo duradero",
        "fr": "un prêt 504 ne finance que l'immobilier, les bâtiments et l'équipement durable",
        "de": "ein 504-Darlehen finanziert nur Immobilien, Gebäude und langlebige Anlagen",
    },
    "microloan_max": {
        "en": "the microloan",
        "es": "el micropréstamo",
        "fr": "le microprêt",
        "de": "das Mikrodarlehen",
    },
    "microloan_term_years": {
        "en": "the longest repayment term",
        "es": "el plazo máximo de devolución",
        "fr": "la durée maximale de remboursement",
        "de": "die längste Laufzeit",
    },
    "microloan_purpose": {
        "en": "a microloan pays for working capital, inventory, supplies and equipment only",
        "es": "un micropréstamo solo financia capital de trabajo, inventario y equipo",
        "fr": "un microprêt ne finance que le fonds de roulement, les stocks et l'équipement",
        "de": "ein Mikrodarlehen finanziert nur Betriebsmittel, Vorräte und Ausrüstung",
    },
    "eighta_ownership": {
        "en": "the share owned by disadvantaged US citizens",
        "es": "la parte en manos de ciudadanos estadounidenses en desventaja",
        "fr": "la part détenue par des citoyens américains défavorisés",
        "de": "der Anteil benachteiligter US-Bürger",
    },
    "eighta_net_worth": {
        "en": "the owner's net worth",
        "es": "el patrimonio neto del propietario",
        "fr": "le patrimoine net du propriétaire",
        "de": "das Nettovermögen des Inhabers",
    },
    "eighta_income": {
        "en": "the owner's average adjusted gross income",
        "es": "el ingreso bruto ajustado medio del propietario",
        "fr": "le revenu brut ajusté moyen du propriétaire",
        "de": "das durchschnittliche bereinigte Bruttoeinkommen des Inhabers",
    },
    "eighta_assets": {
        "en": "the owner's total assets",
        "es": "los activos totales del propietario",
        "fr": "l'actif total du propriétaire",
        "de": "das Gesamtvermögen des Inhabers",
    },
    "eighta_years_in_business": {
        "en": "the years in business (or SBA's waiver)",
        "es": "los años de actividad (o una dispensa de la SBA)",
        "fr": "les années d'activité (ou une dérogation de la SBA)",
        "de": "die Jahre der Geschäftstätigkeit (oder eine Ausnahme der SBA)",
    },
    "eighta_term_years": {
        "en": "the program term",
        "es": "la duración del programa",
        "fr": "la durée du programme",
        "de": "die Programmdauer",
    },
    "wosb_ownership": {
        "en": "the share owned by women who are US citizens",
        "es": "la parte en manos de mujeres con ciudadanía estadounidense",
        "fr": "la part détenue par des femmes de nationalité américaine",
        "de": "der Anteil von Frauen mit US-Staatsbürgerschaft",
    },
    "edwosb_ownership": {
        "en": "the share owned by economically disadvantaged women",
        "es": "la parte en manos de mujeres en desventaja económica",
        "fr": "la part détenue par des femmes économiquement défavorisées",
        "de": "der Anteil wirtschaftlich benachteiligter Frauen",
    },
    "hubzone_ownership": {
        "en": "the share owned by US citizens",
        "es": "la parte en manos de ciudadanos estadounidenses",
        "fr": "la part détenue par des citoyens américains",
        "de": "der Anteil von US-Bürgern",
    },
    "hubzone_principal_office": {
        "en": "the principal office must be in a HUBZone",
        "es": "la oficina principal debe estar en una HUBZone",
        "fr": "le bureau principal doit être dans une HUBZone",
        "de": "der Hauptsitz muss in einer HUBZone liegen",
    },
    "hubzone_employee_residency": {
        "en": "the share of employees living in a HUBZone",
        "es": "la parte de empleados que viven en una HUBZone",
        "fr": "la part des salariés qui habitent dans une HUBZone",
        "de": "der Anteil der Beschäftigten mit Wohnsitz in einer HUBZone",
    },
    "vosb_ownership": {
        "en": "the share owned by veterans",
        "es": "la parte en manos de veteranos",
        "fr": "la part détenue par des anciens combattants",
        "de": "der Anteil von Veteranen",
    },
    "sdvosb_ownership": {
        "en": "the share owned by service-disabled veterans",
        "es": "la parte en manos de veteranos con discapacidad por el servicio",
        "fr": "la part détenue par des anciens combattants handicapés du service",
        "de": "der Anteil von Veteranen mit Dienstbeschädigung",
    },
    "sbir_employees": {
        "en": "the employees, affiliates included",
        "es": "los empleados, afiliadas incluidas",
        "fr": "les salariés, sociétés affiliées comprises",
        "de": "die Beschäftigten, verbundene Unternehmen eingeschlossen",
    },
    "sbir_ownership": {
        "en": "the share owned by US citizens or permanent residents",
        "es": "la parte en manos de ciudadanos o residentes permanentes de EE. UU.",
        "fr": "la part détenue par des citoyens ou résidents permanents américains",
        "de": "der Anteil von US-Bürgern oder Daueraufenthaltsberechtigten",
    },
    "sbir_research": {
        "en": "the business must do research and development",
        "es": "la empresa debe hacer investigación y desarrollo",
        "fr": "l'entreprise doit faire de la recherche et du développement",
        "de": "das Unternehmen muss Forschung und Entwicklung betreiben",
    },
    "sbir_authority": {
        "en": "Congress must authorize new SBIR and STTR awards on that date",
        "es": "el Congreso debe autorizar nuevas adjudicaciones SBIR y STTR en esa fecha",
        "fr": "le Congrès doit autoriser de nouvelles attributions SBIR et STTR à cette date",
        "de": "der Kongress muss an diesem Datum neue SBIR- und STTR-Vergaben erlauben",
    },
    "sttr_partner": {
        "en": "STTR needs a partner US research institution",
        "es": "STTR requiere una institución de investigación estadounidense asociada",
        "fr": "STTR exige un institut de recherche américain partenaire",
        "de": "STTR braucht eine US-Forschungseinrichtung als Partner",
    },
    "sttr_small_business_work": {
        "en": "the business's share of the work",
        "es": "la parte del trabajo que hace la empresa",
        "fr": "la part du travail faite par l'entreprise",
        "de": "der Arbeitsanteil des Unternehmens",
    },
    "sttr_institution_work": {
        "en": "the research institution's share of the work",
        "es": "la parte del trabajo que hace la institución de investigación",
        "fr": "la part du travail faite par l'institut de recherche",
        "de": "der Arbeitsanteil der Forschungseinrichtung",
    },
}
LABELS["edwosb_net_worth"] = LABELS["eighta_net_worth"]
LABELS["edwosb_income"] = LABELS["eighta_income"]
LABELS["edwosb_assets"] = LABELS["eighta_assets"]

# What to give when a fact is missing.
FIELDS: Words = {
    "for_profit": {
        "en": "for profit?",
        "es": "¿con fines de lucro?",
        "fr": "but lucratif ?",
        "de": "gewinnorientiert?",
    },
    "us_based": {
        "en": "located in the US?",
        "es": "¿en EE. UU.?",
        "fr": "situé aux États-Unis ?",
        "de": "in den USA?",
    },
    "is_small": {
        "en": "small for its NAICS code?",
        "es": "¿pequeña para su código NAICS?",
        "fr": "petite pour son code NAICS ?",
        "de": "klein für den NAICS-Code?",
    },
    "loan_purpose": {
        "en": "what the loan pays for",
        "es": "para qué es el préstamo",
        "fr": "l'objet du prêt",
        "de": "der Zweck des Darlehens",
    },
    "loan_amount": {
        "en": "the loan amount",
        "es": "el monto del préstamo",
        "fr": "le montant du prêt",
        "de": "der Darlehensbetrag",
    },
    "years_in_business": {
        "en": "years in business",
        "es": "años de actividad",
        "fr": "années d'activité",
        "de": "Jahre der Geschäftstätigkeit",
    },
    "employees": {"en": "employees", "es": "empleados", "fr": "salariés", "de": "Beschäftigte"},
    "women_share": {
        "en": "share owned by women",
        "es": "parte de mujeres",
        "fr": "part des femmes",
        "de": "Anteil von Frauen",
    },
    "veteran_share": {
        "en": "share owned by veterans",
        "es": "parte de veteranos",
        "fr": "part des anciens combattants",
        "de": "Anteil von Veteranen",
    },
    "service_disabled_veteran_share": {
        "en": "share owned by service-disabled veterans",
        "es": "parte de veteranos con discapacidad",
        "fr": "part des anciens combattants handicapés",
        "de": "Anteil von Veteranen mit Dienstbeschädigung",
    },
    "disadvantaged_share": {
        "en": "share owned by disadvantaged individuals",
        "es": "parte de personas en desventaja",
        "fr": "part des personnes défavorisées",
        "de": "Anteil benachteiligter Personen",
    },
    "us_citizen_share": {
        "en": "share owned by US citizens",
        "es": "parte de ciudadanos de EE. UU.",
        "fr": "part des citoyens américains",
        "de": "Anteil von US-Bürgern",
    },
    "us_owner_share": {
        "en": "share owned by US citizens and permanent residents",
        "es": "parte de ciudadanos y residentes permanentes",
        "fr": "part des citoyens et résidents permanents",
        "de": "Anteil von US-Bürgern und Daueraufenthaltsberechtigten",
    },
    "personal_net_worth": {
        "en": "the owner's net worth",
        "es": "patrimonio neto del propietario",
        "fr": "patrimoine net du propriétaire",
        "de": "Nettovermögen des Inhabers",
    },
    "average_agi": {
        "en": "the owner's average income over three years",
        "es": "ingreso medio del propietario en tres años",
        "fr": "revenu moyen du propriétaire sur trois ans",
        "de": "Durchschnittseinkommen des Inhabers über drei Jahre",
    },
    "total_assets": {
        "en": "the owner's total assets",
        "es": "activos totales del propietario",
        "fr": "actif total du propriétaire",
        "de": "Gesamtvermögen des Inhabers",
    },
    "hubzone_principal_office": {
        "en": "principal office in a HUBZone?",
        "es": "¿oficina principal en una HUBZone?",
        "fr": "bureau principal dans une HUBZone ?",
        "de": "Hauptsitz in einer HUBZone?",
    },
    "hubzone_employee_share": {
        "en": "share of employees living in a HUBZone",
        "es": "parte de empleados que viven en una HUBZone",
        "fr": "part des salariés habitant une HUBZone",
        "de": "Anteil der Beschäftigten in einer HUBZone",
    },
    "does_research": {
        "en": "research and development?",
        "es": "¿investigación y desarrollo?",
        "fr": "recherche et développement ?",
        "de": "Forschung und Entwicklung?",
    },
    "research_institution_partner": {
        "en": "a research institution partner?",
        "es": "¿institución de investigación asociada?",
        "fr": "un institut de recherche partenaire ?",
        "de": "eine Partner-Forschungseinrichtung?",
    },
    "sttr_small_business_work_share": {
        "en": "the business's share of the work",
        "es": "parte del trabajo de la empresa",
        "fr": "part du travail de l'entreprise",
        "de": "Arbeitsanteil des Unternehmens",
    },
    "sttr_institution_work_share": {
        "en": "the institution's share of the work",
        "es": "parte del trabajo de la institución",
        "fr": "part du travail de l'institut",
        "de": "Arbeitsanteil der Einrichtung",
    },
}

STEPS: Words = {
    "lender": {
        "en": "apply through an SBA-approved lender (Lender Match)",
        "es": "solicítelo a un prestamista aprobado por la SBA (Lender Match)",
        "fr": "demandez-le à un prêteur agréé par la SBA (Lender Match)",
        "de": "beantragen Sie es bei einem von der SBA zugelassenen Kreditgeber (Lender Match)",
    },
    "cdc": {
        "en": "ask a Certified Development Company (CDC)",
        "es": "consulte a una Compañía Certificada de Desarrollo "
        "(Certified Development Company, CDC)",
        "fr": "adressez-vous à une Certified Development Company (CDC)",
        "de": "wenden Sie sich an eine Certified Development Company (CDC)",
    },
    "intermediary": {
        "en": "apply to an SBA microloan intermediary",
        "es": "solicítelo a un intermediario de micropréstamos de la SBA",
        "fr": "adressez-vous à un intermédiaire de microprêts de la SBA",
        "de": "wenden Sie sich an einen Mikrodarlehen-Vermittler der SBA",
    },
    "certify": {
        "en": "certify on MySBA Certifications (certifications.sba.gov)",
        "es": "certifíquese en MySBA Certifications (certifications.sba.gov)",
        "fr": "faites-vous certifier sur MySBA Certifications (certifications.sba.gov)",
        "de": "lassen Sie sich auf MySBA Certifications (certifications.sba.gov) zertifizieren",
    },
    "map": {
        "en": "check your address on SBA's HUBZone map",
        "es": "compruebe su dirección en el mapa HUBZone de la SBA",
        "fr": "vérifiez votre adresse sur la carte HUBZone de la SBA",
        "de": "prüfen Sie Ihre Adresse auf der HUBZone-Karte der SBA",
    },
    "solicitations": {
        "en": "read the open solicitations on SBIR.gov",
        "es": "lea las convocatorias abiertas en SBIR.gov",
        "fr": "lisez les appels ouverts sur SBIR.gov",
        "de": "lesen Sie die offenen Ausschreibungen auf SBIR.gov",
    },
}

TEXTS: Words = {
    "apply": {
        "en": "{name}: to apply, {step}.",
        "es": "{name}: para solicitarlo, {step}.",
        "fr": "{name} : pour postuler, {step}.",
        "de": "{name}: zur Bewerbung {step}.",
    },
    "title": {
        "en": "SBA programs: screening",
        "es": "Programas de la SBA: evaluación",
        "fr": "Programmes de la SBA : présélection",
        "de": "SBA-Programme: Vorprüfung",
    },
    "likely": {
        "en": "{name}: likely eligible — every rule this screener can check is met; next, {step}.",
        "es": (
            "{name}: probablemente elegible — se cumplen todas las reglas que se pueden comprobar "
            "aquí; después, {step}."
        ),
        "fr": (
            "{name} : probablement admissible — toutes les règles vérifiables ici sont remplies ; "
            "ensuite, {step}."
        ),
        "de": (
            "{name}: voraussichtlich berechtigt — alle hier prüfbaren Regeln sind erfüllt; danach "
            "{step}."
        ),
    },
    "not": {
        "en": "{name}: not eligible because {why}.",
        "es": "{name}: no elegible porque {why}.",
        "fr": "{name} : non admissible parce que {why}.",
        "de": "{name}: nicht berechtigt, weil {why}.",
    },
    "check": {
        "en": "{name}: to check — {why}.",
        "es": "{name}: por comprobar — {why}.",
        "fr": "{name} : à vérifier — {why}.",
        "de": "{name}: zu prüfen — {why}.",
    },
    "missing": {
        "en": "missing: {fields}",
        "es": "falta: {fields}",
        "fr": "manque : {fields}",
        "de": "es fehlt: {fields}",
    },
    "must": {
        "en": "{label} must be {cmp} {threshold}",
        "es": "{label}: se exige {cmp} {threshold}",
        "fr": "{label} : {cmp} {threshold} exigé",
        "de": "{label}: {cmp} {threshold} erforderlich",
    },
    "given": {
        "en": " (given: {value})",
        "es": " (dato: {value})",
        "fr": " (donné : {value})",
        "de": " (angegeben: {value})",
    },
    "limit": {
        "en": "{name}: {label} is {cmp} {value}.",
        "es": "{name}: {label} es {cmp} {value}.",
        "fr": "{name} : {label}, {cmp} {value}.",
        "de": "{name}: {label} beträgt {cmp} {value}.",
    },
    "figure": {
        "en": "{name}: {label} is {value}.",
        "es": "{name}: {label} es {value}.",
        "fr": "{name} : {label} est de {value}.",
        "de": "{name}: {label} beträgt {value}.",
    },
    "grants": {
        "en": (
            "SBA does not give grants to start or expand a business; it guarantees loans that "
            "lenders make, and research firms can compete for SBIR and STTR awards from federal "
            "agencies."
        ),
        "es": (
            "La SBA no da subvenciones para abrir o ampliar un negocio; garantiza préstamos de "
            "prestamistas, y las empresas de investigación pueden competir por fondos SBIR y STTR "
            "de agencias federales."
        ),
        "fr": (
            "La SBA n'accorde pas de subventions pour créer ou développer une entreprise ; elle "
            "garantit des prêts accordés par des prêteurs, et les entreprises de recherche peuvent "
            "concourir aux financements SBIR et STTR des agences fédérales."
        ),
        "de": (
            "Die SBA vergibt keine Zuschüsse für die Gründung oder Erweiterung eines Unternehmens; "
            "sie garantiert Darlehen von Kreditgebern, und Forschungsfirmen können sich um SBIR- "
            "und STTR-Mittel von Bundesbehörden bewerben."
        ),
    },
    "unverified": {
        "en": (
            "Some figures could not be confirmed in the regulation itself; the result marks them "
            "(verified: false)."
        ),
        "es": (
            "Algunas cifras no se pudieron confirmar en el propio reglamento; el resultado las "
            "marca (verified: false)."
        ),
        "fr": (
            "Certains chiffres n'ont pas pu être confirmés dans le règlement lui-même ; le "
            "résultat les signale (verified: false)."
        ),
        "de": (
            "Einige Zahlen ließen sich nicht in der Vorschrift selbst bestätigen; das Ergebnis "
            "kennzeichnet sie (verified: false)."
        ),
    },
    "screening": {
        "en": "A screening, not a decision: SBA, the lender or the certifier decides.",
        "es": (
            "Es una evaluación previa, no una decisión: decide la SBA, el prestamista o el "
            "certificador."
        ),
        "fr": "Une présélection, pas une décision : la SBA, le prêteur ou le certificateur décide.",
        "de": (
            "Eine Vorprüfung, keine Entscheidung: Es entscheiden die SBA, der Kreditgeber oder die "
            "Zertifizierungsstelle."
        ),
    },
    "program": {"en": "Program", "es": "Programa", "fr": "Programme", "de": "Programm"},
    "status": {"en": "Status", "es": "Estado", "fr": "Statut", "de": "Status"},
    "reason": {"en": "Reason", "es": "Motivo", "fr": "Motif", "de": "Grund"},
    "caption": {
        "en": "SBA programs and what the facts given show",
        "es": "Programas de la SBA y lo que muestran los datos",
        "fr": "Programmes de la SBA et ce que montrent les données",
        "de": "SBA-Programme und was die Angaben zeigen",
    },
    "all_met": {
        "en": "every rule checked is met",
        "es": "se cumplen todas las reglas comprobadas",
        "fr": "toutes les règles vérifiées sont remplies",
        "de": "alle geprüften Regeln sind erfüllt",
    },
    "employees": {
        "en": "{value} employees",
        "es": "{value} empleados",
        "fr": "{value} salariés",
        "de": "{value} Beschäftigte",
    },
    "years": {
        "en": "{value} years",
        "es": "{value} años",
        "fr": "{value} ans",
        "de": "{value} Jahre",
    },
    "yes": {"en": "yes", "es": "sí", "fr": "oui", "de": "ja"},
    "no": {"en": "no", "es": "no", "fr": "non", "de": "nein"},
}

PURPOSES: Words = {
    "working_capital": {
        "en": "working capital",
        "es": "capital de trabajo",
        "fr": "fonds de roulement",
        "de": "Betriebsmittel",
    },
    "inventory": {"en": "inventory", "es": "inventario", "fr": "stocks", "de": "Vorräte"},
    "equipment": {"en": "equipment", "es": "equipo", "fr": "équipement", "de": "Ausrüstung"},
    "real_estate": {"en": "real estate", "es": "inmuebles", "fr": "immobilier", "de": "Immobilien"},
    "construction": {"en": "construction", "es": "construcción", "fr": "construction", "de": "Bau"},
    "refinance": {
        "en": "refinancing",
        "es": "refinanciación",
        "fr": "refinancement",
        "de": "Umschuldung",
    },
    "acquisition": {
        "en": "buying a business",
        "es": "compra de un negocio",
        "fr": "rachat d'entreprise",
        "de": "Unternehmenskauf",
    },
    "other": {
        "en": "another purpose",
        "es": "otro fin",
        "fr": "autre objet",
        "de": "anderer Zweck",
    },
}

# Rules no number settles, said as notes (no digits: the verifier reads every number).
NOTES: Words = {
    "loan_credit_elsewhere": {
        "en": (
            "The lender must find that you need the loan and cannot get credit on reasonable terms "
            "without SBA's guaranty."
        ),
        "es": (
            "El prestamista debe comprobar que usted necesita el préstamo y que no obtendría "
            "crédito en condiciones razonables sin la garantía de la SBA."
        ),
        "fr": (
            "Le prêteur doit constater que vous avez besoin du prêt et que vous n'obtiendriez pas "
            "de crédit à des conditions raisonnables sans la garantie de la SBA."
        ),
        "de": (
            "Der Kreditgeber muss feststellen, dass Sie das Darlehen brauchen und ohne die "
            "SBA-Garantie keinen Kredit zu angemessenen Bedingungen bekämen."
        ),
    },
    "eighta_social_disadvantage": {
        "en": (
            "For 8(a), SBA no longer presumes social disadvantage by group: each owner must show "
            "it personally, with a narrative and evidence."
        ),
        "es": (
            "Para el 8(a), la SBA ya no presume la desventaja social por grupo: cada propietario "
            "debe demostrarla personalmente, con un relato y pruebas."
        ),
        "fr": (
            "Pour le 8(a), la SBA ne présume plus le désavantage social selon le groupe : chaque "
            "propriétaire doit le démontrer personnellement, récit et preuves à l'appui."
        ),
        "de": (
            "Für 8(a) vermutet die SBA soziale Benachteiligung nicht mehr nach "
            "Gruppenzugehörigkeit: Jeder Inhaber muss sie persönlich mit einer Darstellung und "
            "Belegen nachweisen."
        ),
    },
}
