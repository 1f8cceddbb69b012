"""Benchmark corpora: generated multilingual text scrapes with residue, and replicated HTML pages.

Usage (from the repository root):

    .venv/bin/python -m bench.throughput.corpus --kind text --docs 10000
    .venv/bin/python -m bench.throughput.corpus --kind html --docs 10000

Both are written as gzipped JSON lines under bench/out/throughput/ (git-ignored), generated at
bench time, never committed:

- text: articles written here from word lists and sentence templates in eight languages, each
  with residue lines of the kinds scrapes carry (language pickers, hashtag lines, datelines,
  wire credits, comment widgets, related-article blocks, ad markers, banners, share lines,
  source lines, timestamps, a closing paragraph that restates the article). Fields: `text`,
  `id`, `url`.
- html: the trafilatura-dev and htmldate-dev pages replicated with varied ids and URLs (a
  fixed shuffle, so every prefix of the corpus as long as the page set holds each page once)
  and one generated paragraph inserted after the first paragraph, so that copies are
  near-duplicates and not byte-identical. Fields: `html`, `id`, `url`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"
PAGE_FOLDERS = (EVAL / "trafilatura-dev" / "pages", EVAL / "htmldate-dev" / "pages")
OUT = ROOT / "bench" / "out" / "throughput"
SEED = 20261123

FIRST_PARAGRAPH_END = re.compile(rb"</p\s*>", re.I)
TLDS = ("com", "net", "org", "de", "fr", "es", "it", "pl", "nl", "pt", "co.uk", "info")
SECTIONS = ("world", "politics", "economy", "sport", "culture", "science", "local", "opinion")

PEOPLE = (
    "Anna Kowalska", "Marco Rossi", "Jean Dupont", "Maria Santos", "Hans Becker", "Eva Jansen",
    "Olga Petrova", "Carlos Ruiz", "Laura Bianchi", "Pieter de Vries", "Sophie Martin",
    "Tomasz Nowak", "Ines Ferreira", "Klaus Weber", "Lucia Gómez", "James Carter",
)  # fmt: skip
PLACES = (
    "Astana", "Lisbon", "Gdańsk", "Lyon", "Bologna", "Utrecht", "Valencia", "Hamburg",
    "Porto", "Kraków", "Marseille", "Turin", "Rotterdam", "Seville", "Leipzig", "Nairobi",
)  # fmt: skip
AGENCIES = ("Reuters", "AFP", "dpa", "AP", "ANSA", "EFE", "PAP", "ANP", "Lusa")
IN = {"en": "in", "de": "in", "fr": "à", "es": "en", "it": "a", "pt": "em", "nl": "in", "pl": "w"}
HOURS = ("06:12", "09:45", "11:30", "14:05", "17:50", "21:15")

# Per language: sentence parts, then residue of each kind. The parts are combined at random,
# so articles differ in wording, length and order while staying plausible prose.
LANGUAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "subject": (
            "The city council", "The finance minister", "A group of farmers", "The central bank",
            "Local residents", "The opposition party", "The regional government",
            "Researchers at the university", "The port authority", "Several trade unions",
        ),
        "verb": (
            "announced", "rejected", "called for", "welcomed", "criticised", "postponed",
            "approved", "questioned", "proposed", "defended",
        ),
        "object": (
            "a new plan for public transport", "the budget for next year",
            "stricter rules on water use", "an agreement with neighbouring towns",
            "higher wages for nurses", "the expansion of the harbour",
            "a review of school funding", "cheaper energy for households",
            "a ban on night flights", "new housing near the river",
        ),
        "when": (
            "on Thursday", "last week", "after months of talks", "earlier this year",
            "on Monday evening", "during a long session",
        ),
        "link": (
            "According to officials,", "Critics said that", "In a statement,", "Observers expect",
            "At the same time,", "Supporters argued that",
        ),
        "clause": (
            "the decision would affect thousands of families", "costs had risen sharply",
            "the vote was closer than expected", "talks would continue next month",
            "the measure had broad public support", "funding remained uncertain",
        ),
        "picker": ("English", "Language: English", "EN | DE | FR"),
        "read_also": ("Read also: {title}", "READ MORE: {title}", "See also: {title}"),
        "comments": ("LEAVE A REPLY", "Please enter your comment!", "Comments (0)",
                     "Please enter your name here", "Log in to comment"),
        "related": ("Related Articles", "More from this section", "Latest Articles",
                    "You may also like"),
        "ad": ("- Advertisement -", "ADVERTISEMENT", "Sponsored content"),
        "share": ("Share this article", "Share on Facebook Share on X Share by email",
                  "Click to share on WhatsApp"),
        "banner": ("Close cookie banner", "We use cookies to improve your experience. Accept",
                   "Subscribe to our newsletter"),
        "credit": ("(Reporting by {p1}; writing by {p2}; editing by {p3})",
                   "Photo: {p1}/{agency}", "(Additional reporting by {p1}; editing by {p2})"),
        "source": ("Source: {agency}", "Copyright {year} {agency}. All rights reserved."),
        "dateline": ("{PLACE} ({agency}) - ", "{PLACE}, {month} {day} ({agency}) - "),
        "months": ("January", "March", "May", "July", "September", "November"),
        "date_header": ("{weekday}, {month} {day}, {year}",),
        "weekdays": ("Monday", "Tuesday", "Thursday", "Saturday"),
        "restate": ("In summary,", "Overall,", "To sum up,"),
    },
    "de": {
        "subject": (
            "Der Stadtrat", "Die Finanzministerin", "Eine Gruppe von Landwirten",
            "Die Zentralbank", "Die Anwohner", "Die Opposition", "Die Landesregierung",
            "Forscher der Universität", "Die Hafenbehörde", "Mehrere Gewerkschaften",
        ),
        "verb": (
            "kündigte an", "lehnte ab", "forderte", "begrüßte", "kritisierte", "verschob",
            "billigte", "hinterfragte", "schlug vor", "verteidigte",
        ),
        "object": (
            "einen neuen Plan für den Nahverkehr", "den Haushalt für das kommende Jahr",
            "strengere Regeln für den Wasserverbrauch", "ein Abkommen mit den Nachbarorten",
            "höhere Löhne für Pflegekräfte", "den Ausbau des Hafens",
            "eine Überprüfung der Schulfinanzierung", "günstigere Energie für Haushalte",
            "ein Verbot von Nachtflügen", "neue Wohnungen am Fluss",
        ),
        "when": (
            "am Donnerstag", "in der vergangenen Woche", "nach monatelangen Gesprächen",
            "Anfang des Jahres", "am Montagabend", "in einer langen Sitzung",
        ),
        "link": (
            "Nach Angaben der Behörden", "Kritiker sagten, dass", "In einer Erklärung hieß es,",
            "Beobachter erwarten, dass", "Zugleich", "Befürworter argumentierten, dass",
        ),
        "clause": (
            "die Entscheidung Tausende Familien betreffe", "die Kosten stark gestiegen seien",
            "die Abstimmung knapper ausfiel als erwartet",
            "die Gespräche im nächsten Monat weitergehen",
            "die Maßnahme breite Unterstützung finde", "die Finanzierung weiter unklar sei",
        ),
        "picker": ("Deutsch", "Sprache: Deutsch", "DE | EN | FR"),
        "read_also": (
            "Lesen Sie auch: {title}",
            "Mehr zum Thema: {title}",
            "Auch interessant: {title}",
        ),
        "comments": ("Kommentar (0)", "Kommentare (3)", "Schreiben Sie einen Kommentar",
                     "Bitte melden Sie sich an, um zu kommentieren"),
        "related": ("Ähnliche Artikel", "Das könnte Sie auch interessieren", "Neueste Artikel"),
        "ad": ("- Anzeige -", "ANZEIGE", "Werbung"),
        "share": ("Artikel teilen", "Auf Facebook teilen Auf X teilen Per E-Mail teilen"),
        "banner": ("Cookie-Hinweis schließen", "Wir verwenden Cookies. Akzeptieren",
                   "Jetzt Newsletter abonnieren"),
        "credit": ("Foto: {p1}/{agency}", "Mit Material von {agency}", "Von {p1} und {p2}"),
        "source": ("Quelle", "Quelle: {agency}", "© {agency} {year}"),
        "dateline": ("{PLACE} ({agency}) - ", "{PLACE} ({agency}). "),
        "months": ("Januar", "März", "Mai", "Juli", "September", "November"),
        "date_header": ("{weekday}, {day}. {month} {year}",),
        "weekdays": ("Montag", "Dienstag", "Donnerstag", "Samstag"),
        "restate": ("Zusammenfassend", "Insgesamt", "Kurz gesagt"),
    },
    "fr": {
        "subject": (
            "Le conseil municipal", "La ministre des Finances", "Un groupe d'agriculteurs",
            "La banque centrale", "Les habitants", "L'opposition", "Le gouvernement régional",
            "Des chercheurs de l'université", "L'autorité portuaire", "Plusieurs syndicats",
        ),
        "verb": (
            "a annoncé", "a rejeté", "a réclamé", "a salué", "a critiqué", "a reporté",
            "a approuvé", "a remis en question", "a proposé", "a défendu",
        ),
        "object": (
            "un nouveau plan pour les transports publics", "le budget de l'année prochaine",
            "des règles plus strictes sur l'eau", "un accord avec les communes voisines",
            "des salaires plus élevés pour les infirmières", "l'agrandissement du port",
            "un examen du financement des écoles", "une énergie moins chère pour les ménages",
            "une interdiction des vols de nuit", "de nouveaux logements près du fleuve",
        ),
        "when": (
            "jeudi", "la semaine dernière", "après des mois de discussions",
            "au début de l'année", "lundi soir", "lors d'une longue séance",
        ),
        "link": (
            "Selon les autorités,", "Les critiques ont affirmé que", "Dans un communiqué,",
            "Les observateurs estiment que",
            "Dans le même temps,",
            "Ses partisans ont fait valoir que",
        ),
        "clause": (
            "la décision concernerait des milliers de familles",
            "les coûts avaient fortement augmenté",
            "le vote a été plus serré que prévu", "les discussions reprendraient le mois prochain",
            "la mesure bénéficiait d'un large soutien", "le financement restait incertain",
        ),
        "picker": ("Français", "Langue : Français", "FR | EN | DE"),
        "read_also": ("Lire aussi : {title}", "À lire aussi : {title}", "Voir aussi : {title}"),
        "comments": ("Laisser un commentaire", "Commentaires (2)", "Réagir à cet article",
                     "Connectez-vous pour commenter"),
        "related": ("Articles similaires", "Sur le même sujet", "Les derniers articles"),
        "ad": ("- Publicité -", "PUBLICITÉ", "Contenu sponsorisé"),
        "share": ("Partager cet article", "Partager sur Facebook Partager sur X"),
        "banner": ("Fermer le bandeau cookies", "Nous utilisons des cookies. Accepter",
                   "Abonnez-vous à notre newsletter"),
        "credit": ("Photo : {p1} / {agency}", "Avec {agency}", "Par {p1} et {p2}"),
        "source": ("Source : {agency}", "© {agency} {year}"),
        "dateline": ("{PLACE} ({agency}) - ", "{PLACE}, {day} {month} ({agency}) - "),
        "months": ("janvier", "mars", "mai", "juillet", "septembre", "novembre"),
        "date_header": ("{weekday} {day} {month} {year}",),
        "weekdays": ("lundi", "mardi", "jeudi", "samedi"),
        "restate": ("En résumé,", "Au total,", "En somme,"),
    },
    "es": {
        "subject": (
            "El ayuntamiento", "La ministra de Hacienda", "Un grupo de agricultores",
            "El banco central", "Los vecinos", "La oposición", "El gobierno regional",
            "Investigadores de la universidad", "La autoridad portuaria", "Varios sindicatos",
        ),
        "verb": (
            "anunció", "rechazó", "reclamó", "celebró", "criticó", "aplazó", "aprobó",
            "cuestionó", "propuso", "defendió",
        ),
        "object": (
            "un nuevo plan de transporte público", "el presupuesto del próximo año",
            "normas más estrictas sobre el agua", "un acuerdo con los municipios vecinos",
            "salarios más altos para las enfermeras", "la ampliación del puerto",
            "una revisión de la financiación escolar", "energía más barata para los hogares",
            "la prohibición de los vuelos nocturnos", "nuevas viviendas junto al río",
        ),
        "when": (
            "el jueves", "la semana pasada", "tras meses de negociaciones",
            "a principios de año", "el lunes por la noche", "durante una larga sesión",
        ),
        "link": (
            "Según las autoridades,", "Los críticos dijeron que", "En un comunicado,",
            "Los observadores esperan que", "Al mismo tiempo,", "Sus defensores argumentaron que",
        ),
        "clause": (
            "la decisión afectaría a miles de familias", "los costes habían subido mucho",
            "la votación fue más ajustada de lo previsto",
            "las conversaciones seguirían el próximo mes",
            "la medida contaba con un amplio apoyo", "la financiación seguía siendo incierta",
        ),
        "picker": ("Español", "Idioma: Español", "ES | EN | CA"),
        "read_also": (
            "Lee también: {title}",
            "Más información: {title}",
            "Te puede interesar: {title}",
        ),
        "comments": ("Deja un comentario", "Comentarios (4)", "Inicia sesión para comentar"),
        "related": ("Artículos relacionados", "Noticias relacionadas", "Lo más leído"),
        "ad": ("- Publicidad -", "PUBLICIDAD", "Contenido patrocinado"),
        "share": ("Compartir este artículo", "Compartir en Facebook Compartir en X"),
        "banner": ("Cerrar aviso de cookies", "Usamos cookies. Aceptar",
                   "Suscríbete a nuestro boletín"),
        "credit": ("Foto: {p1} / {agency}", "Con información de {agency}", "Por {p1} y {p2}"),
        "source": ("Fuente: {agency}", "© {agency} {year}"),
        "dateline": ("{PLACE} ({agency}) - ", "{PLACE}, {day} de {month} ({agency}). "),
        "months": ("enero", "marzo", "mayo", "julio", "septiembre", "noviembre"),
        "date_header": ("{weekday}, {day} de {month} de {year}",),
        "weekdays": ("lunes", "martes", "jueves", "sábado"),
        "restate": ("En resumen,", "En definitiva,", "En conclusión,"),
    },
    "it": {
        "subject": (
            "Il consiglio comunale", "La ministra dell'Economia", "Un gruppo di agricoltori",
            "La banca centrale", "I residenti", "L'opposizione", "Il governo regionale",
            "I ricercatori dell'università", "L'autorità portuale", "Diversi sindacati",
        ),
        "verb": (
            "ha annunciato", "ha respinto", "ha chiesto", "ha accolto", "ha criticato",
            "ha rinviato", "ha approvato", "ha messo in dubbio", "ha proposto", "ha difeso",
        ),
        "object": (
            "un nuovo piano per i trasporti pubblici", "il bilancio del prossimo anno",
            "regole più severe sull'uso dell'acqua", "un accordo con i comuni vicini",
            "stipendi più alti per gli infermieri", "l'ampliamento del porto",
            "una revisione dei fondi per le scuole", "energia più economica per le famiglie",
            "il divieto dei voli notturni", "nuove case vicino al fiume",
        ),
        "when": (
            "giovedì", "la settimana scorsa", "dopo mesi di trattative", "all'inizio dell'anno",
            "lunedì sera", "durante una lunga seduta",
        ),
        "link": (
            "Secondo le autorità,", "I critici hanno detto che", "In una nota,",
            "Gli osservatori prevedono che",
            "Allo stesso tempo,",
            "I sostenitori hanno sostenuto che",
        ),
        "clause": (
            "la decisione riguarderebbe migliaia di famiglie", "i costi erano aumentati molto",
            "il voto è stato più serrato del previsto",
            "i colloqui continueranno il mese prossimo",
            "la misura godeva di un ampio sostegno", "il finanziamento restava incerto",
        ),
        "picker": ("Italiano", "Lingua: Italiano", "IT | EN | DE"),
        "read_also": (
            "Leggi anche: {title}",
            "Potrebbe interessarti: {title}",
            "Vedi anche: {title}",
        ),
        "comments": ("Lascia un commento", "Commenti (1)", "Accedi per commentare"),
        "related": ("Articoli correlati", "Ultimi articoli", "Dalla stessa sezione"),
        "ad": ("- Pubblicità -", "PUBBLICITÀ", "Contenuto sponsorizzato"),
        "share": ("Condividi questo articolo", "Condividi su Facebook Condividi su X"),
        "banner": ("Chiudi il banner dei cookie", "Usiamo i cookie. Accetta",
                   "Iscriviti alla newsletter"),
        "credit": ("Foto: {p1} / {agency}", "Fonte {agency}", "Di {p1} e {p2}"),
        "source": ("Fonte: {agency}", "© {agency} {year}"),
        "dateline": ("{PLACE} ({agency}) - ", "{PLACE}, {day} {month} ({agency}) - "),
        "months": ("gennaio", "marzo", "maggio", "luglio", "settembre", "novembre"),
        "date_header": ("{weekday}, {month} {day}, {year}", "{weekday} {day} {month} {year}"),
        "weekdays": ("lunedì", "martedì", "giovedì", "sabato"),
        "restate": ("In sintesi,", "Nel complesso,", "Riassumendo,"),
    },
    "pt": {
        "subject": (
            "A câmara municipal", "A ministra das Finanças", "Um grupo de agricultores",
            "O banco central", "Os moradores", "A oposição", "O governo regional",
            "Investigadores da universidade", "A autoridade portuária", "Vários sindicatos",
        ),
        "verb": (
            "anunciou", "rejeitou", "pediu", "saudou", "criticou", "adiou", "aprovou",
            "questionou", "propôs", "defendeu",
        ),
        "object": (
            "um novo plano de transportes públicos", "o orçamento do próximo ano",
            "regras mais rígidas sobre a água", "um acordo com os municípios vizinhos",
            "salários mais altos para os enfermeiros", "a ampliação do porto",
            "uma revisão do financiamento escolar", "energia mais barata para as famílias",
            "a proibição de voos noturnos", "novas habitações junto ao rio",
        ),
        "when": (
            "na quinta-feira", "na semana passada", "após meses de negociações",
            "no início do ano", "na segunda-feira à noite", "durante uma longa sessão",
        ),
        "link": (
            "Segundo as autoridades,", "Os críticos disseram que", "Em comunicado,",
            "Os observadores esperam que", "Ao mesmo tempo,", "Os apoiantes argumentaram que",
        ),
        "clause": (
            "a decisão afetaria milhares de famílias", "os custos tinham subido muito",
            "a votação foi mais renhida do que o esperado",
            "as conversações continuariam no próximo mês",
            "a medida tinha amplo apoio", "o financiamento continuava incerto",
        ),
        "picker": ("Português", "Idioma: Português", "PT | EN | ES"),
        "read_also": ("Leia também: {title}", "Saiba mais: {title}", "Veja também: {title}"),
        "comments": ("Deixe um comentário", "Comentários (2)", "Inicie sessão para comentar"),
        "related": ("Artigos relacionados", "Últimas notícias", "Mais lidas"),
        "ad": ("- Publicidade -", "PUBLICIDADE", "Conteúdo patrocinado"),
        "share": ("Partilhar este artigo", "Partilhar no Facebook Partilhar no X"),
        "banner": ("Fechar aviso de cookies", "Utilizamos cookies. Aceitar",
                   "Subscreva a nossa newsletter"),
        "credit": ("Foto: {p1} / {agency}", "Com {agency}", "Por {p1} e {p2}"),
        "source": ("Fonte: {agency}", "© {agency} {year}"),
        "dateline": ("{PLACE} ({agency}) - ", "{PLACE}, {day} de {month} ({agency}) - "),
        "months": ("janeiro", "março", "maio", "julho", "setembro", "novembro"),
        "date_header": ("{weekday}, {day} de {month} de {year}",),
        "weekdays": ("segunda-feira", "terça-feira", "quinta-feira", "sábado"),
        "restate": ("Em resumo,", "No geral,", "Em suma,"),
    },
    "nl": {
        "subject": (
            "De gemeenteraad", "De minister van Financiën", "Een groep boeren",
            "De centrale bank", "De bewoners", "De oppositie", "De provincie",
            "Onderzoekers van de universiteit", "Het havenbedrijf", "Verschillende vakbonden",
        ),
        "verb": (
            "kondigde aan", "verwierp", "vroeg om", "verwelkomde", "bekritiseerde",
            "stelde uit", "keurde goed", "trok in twijfel", "stelde voor", "verdedigde",
        ),
        "object": (
            "een nieuw plan voor het openbaar vervoer", "de begroting voor volgend jaar",
            "strengere regels voor watergebruik", "een akkoord met de buurgemeenten",
            "hogere lonen voor verpleegkundigen", "de uitbreiding van de haven",
            "een herziening van de schoolfinanciering", "goedkopere energie voor huishoudens",
            "een verbod op nachtvluchten", "nieuwe woningen aan de rivier",
        ),
        "when": (
            "donderdag", "vorige week", "na maanden van overleg", "begin dit jaar",
            "maandagavond", "tijdens een lange vergadering",
        ),
        "link": (
            "Volgens de autoriteiten", "Critici zeiden dat", "In een verklaring",
            "Waarnemers verwachten dat", "Tegelijkertijd", "Voorstanders voerden aan dat",
        ),
        "clause": (
            "het besluit duizenden gezinnen raakt", "de kosten sterk waren gestegen",
            "de stemming krapper was dan verwacht", "de gesprekken volgende maand doorgaan",
            "de maatregel breed wordt gesteund", "de financiering onzeker blijft",
        ),
        "picker": ("Nederlands", "Taal: Nederlands", "NL | EN | FR"),
        "read_also": (
            "Lees ook: {title}",
            "Meer over dit onderwerp: {title}",
            "Bekijk ook: {title}",
        ),
        "comments": ("Laat een reactie achter", "Reacties (5)", "Log in om te reageren"),
        "related": ("Gerelateerde artikelen", "Meest gelezen", "Laatste nieuws"),
        "ad": ("- Advertentie -", "ADVERTENTIE", "Gesponsorde inhoud"),
        "share": ("Deel dit artikel", "Delen op Facebook Delen op X"),
        "banner": ("Cookiemelding sluiten", "Wij gebruiken cookies. Accepteren",
                   "Schrijf je in voor de nieuwsbrief"),
        "credit": ("Foto: {p1} / {agency}", "Bron: {agency}", "Door {p1} en {p2}"),
        "source": ("Bron: {agency}", "© {agency} {year}"),
        "dateline": ("{PLACE} ({agency}) - ", "{PLACE} ({agency}). "),
        "months": ("januari", "maart", "mei", "juli", "september", "november"),
        "date_header": ("{weekday} {day} {month} {year}",),
        "weekdays": ("maandag", "dinsdag", "donderdag", "zaterdag"),
        "restate": ("Samengevat", "Al met al", "Kortom"),
    },
    "pl": {
        "subject": (
            "Rada miasta", "Minister finansów", "Grupa rolników", "Bank centralny",
            "Mieszkańcy", "Opozycja", "Samorząd województwa", "Naukowcy z uniwersytetu",
            "Zarząd portu", "Kilka związków zawodowych",
        ),
        "verb": (
            "ogłosiła", "odrzuciła", "zażądała", "przyjęła z zadowoleniem", "skrytykowała",
            "odłożyła", "zatwierdziła", "zakwestionowała", "zaproponowała", "broniła",
        ),
        "object": (
            "nowy plan transportu publicznego", "budżet na przyszły rok",
            "surowsze zasady korzystania z wody", "porozumienie z sąsiednimi gminami",
            "wyższe płace dla pielęgniarek", "rozbudowę portu",
            "przegląd finansowania szkół", "tańszą energię dla gospodarstw domowych",
            "zakaz lotów nocnych", "nowe mieszkania nad rzeką",
        ),
        "when": (
            "w czwartek", "w zeszłym tygodniu", "po miesiącach rozmów", "na początku roku",
            "w poniedziałek wieczorem", "podczas długiej sesji",
        ),
        "link": (
            "Według władz", "Krytycy twierdzą, że", "W komunikacie podano, że",
            "Obserwatorzy oczekują, że", "Jednocześnie", "Zwolennicy przekonywali, że",
        ),
        "clause": (
            "decyzja dotknie tysięcy rodzin", "koszty mocno wzrosły",
            "głosowanie było bardziej wyrównane, niż oczekiwano",
            "rozmowy będą kontynuowane w przyszłym miesiącu",
            "środek ma szerokie poparcie", "finansowanie pozostaje niepewne",
        ),
        "picker": ("Polski", "Język: Polski", "PL | EN | DE"),
        "read_also": (
            "Czytaj także: {title}",
            "Zobacz też: {title}",
            "Przeczytaj również: {title}",
        ),
        "comments": ("Zostaw komentarz", "Komentarze (3)", "Zaloguj się, aby skomentować"),
        "related": ("Powiązane artykuły", "Najnowsze artykuły", "Najczęściej czytane"),
        "ad": ("- Reklama -", "REKLAMA", "Materiał sponsorowany"),
        "share": ("Udostępnij ten artykuł", "Udostępnij na Facebooku Udostępnij na X"),
        "banner": ("Zamknij baner cookies", "Używamy plików cookies. Akceptuję",
                   "Zapisz się do newslettera"),
        "credit": ("Fot. {p1} / {agency}", "Źródło: {agency}", "Autorzy: {p1}, {p2}"),
        "source": ("Źródło: {agency}", "© {agency} {year}"),
        "dateline": ("{PLACE} ({agency}) - ", "{PLACE} ({agency}). "),
        "months": ("stycznia", "marca", "maja", "lipca", "września", "listopada"),
        "date_header": ("{weekday}, {day} {month} {year}",),
        "weekdays": ("poniedziałek", "wtorek", "czwartek", "sobota"),
        "restate": ("Podsumowując,", "Ogółem", "Krótko mówiąc,"),
    },
}  # fmt: skip


def _sentence(rng: random.Random, parts: dict[str, tuple[str, ...]], language: str) -> str:
    subject, verb, obj = (
        rng.choice(parts["subject"]),
        rng.choice(parts["verb"]),
        rng.choice(parts["object"]),
    )
    when, place = rng.choice(parts["when"]), rng.choice(PLACES)
    shape = rng.randrange(4)
    if shape == 0:
        return f"{subject} {verb} {obj} {when}."
    if shape == 1:
        return f"{subject} {verb} {obj} {IN[language]} {place} {when}."
    if shape == 2:
        return f"{rng.choice(parts['link'])} {rng.choice(parts['clause'])}."
    person = rng.choice(PEOPLE)
    return f"{subject} {verb} {obj}, {person} {rng.choice(parts['when'])}."


def _fill(template: str, rng: random.Random, parts: dict[str, tuple[str, ...]], title: str) -> str:
    people = rng.sample(PEOPLE, 3)
    place = rng.choice(PLACES)
    return template.format(
        title=title,
        p1=people[0],
        p2=people[1],
        p3=people[2],
        agency=rng.choice(AGENCIES),
        year=rng.randrange(2015, 2027),
        PLACE=place.upper(),
        month=rng.choice(parts["months"]),
        day=rng.randrange(1, 29),
        weekday=rng.choice(parts["weekdays"]),
    )


def text_article(index: int, rng: random.Random) -> tuple[str, str]:
    """One generated article with residue, and its language."""
    language = rng.choice(tuple(LANGUAGES))
    parts = LANGUAGES[language]
    title = _sentence(rng, parts, language).rstrip(".")
    paragraphs = [
        " ".join(_sentence(rng, parts, language) for _ in range(rng.randrange(2, 6)))
        for _ in range(rng.randrange(3, 10))
    ]

    def residue(kind: str) -> str:
        return _fill(rng.choice(parts[kind]), rng, parts, title)

    lead = paragraphs[0]
    if rng.random() < 0.5:
        paragraphs[0] = residue("dateline") + paragraphs[0]
    head: list[str] = [title]
    if rng.random() < 0.4:
        head.insert(0, residue("date_header"))
    if rng.random() < 0.3:
        head.append(residue("picker"))
    if rng.random() < 0.2:
        head.insert(0, residue("banner"))
    body = list(paragraphs)
    if rng.random() < 0.4:
        body.insert(rng.randrange(1, len(body)), residue("read_also"))
    if rng.random() < 0.3:
        body.insert(rng.randrange(1, len(body)), residue("ad"))
    if rng.random() < 0.3:
        body.insert(rng.randrange(1, len(body)), residue("credit"))
    tail: list[str] = []
    if rng.random() < 0.3:
        tail.append(f"{rng.choice(parts['restate'])} {lead[:1].lower()}{lead[1:]}")
    if rng.random() < 0.4:
        tail.append(residue("credit"))
    if rng.random() < 0.4:
        tail.append(" ".join(f"#{w}" for w in rng.sample(PLACES + AGENCIES, rng.randrange(2, 6))))
    if rng.random() < 0.3:
        tail.append(
            f"{rng.randrange(2015, 2027)}-{rng.randrange(1, 13):02d}-"
            f"{rng.randrange(1, 29):02d} {rng.choice(HOURS)}:00"
        )
    if rng.random() < 0.3:
        tail.append(residue("source"))
    if rng.random() < 0.3:
        tail.append(residue("share"))
    if rng.random() < 0.3:
        tail.append(residue("related"))
        tail.extend(_sentence(rng, parts, language).rstrip(".") for _ in range(rng.randrange(2, 5)))
    if rng.random() < 0.4:
        tail.extend(rng.sample(parts["comments"], rng.randrange(1, 3)))
    if rng.random() < 0.2:
        tail.append(residue("banner"))
    separator = "\n\n" if rng.random() < 0.6 else "\n"
    return separator.join(head + body + tail), language


def text_records(docs: int) -> Iterator[dict[str, str]]:
    rng = random.Random(SEED)
    for index in range(docs):
        text, language = text_article(index, rng)
        site = rng.randrange(300)
        yield {
            "id": f"t{index:07d}",
            "url": f"https://news{site}.example.{TLDS[site % len(TLDS)]}/"
            f"{rng.choice(SECTIONS)}/{language}-{index}",
            "text": text,
        }


def load_pages() -> list[str]:
    """The evaluation pages as text (UTF-8, else windows-1252), in a fixed shuffled order."""
    paths = sorted(p for folder in PAGE_FOLDERS for p in folder.glob("*.html.gz"))
    if not paths:
        sys.exit(f"no pages under {', '.join(map(str, PAGE_FOLDERS))}")
    pages: list[str] = []
    for path in paths:
        data = gzip.decompress(path.read_bytes())
        try:
            pages.append(data.decode("utf-8"))
        except UnicodeDecodeError:
            pages.append(data.decode("cp1252", errors="replace"))
    random.Random(SEED).shuffle(pages)
    return pages


def html_records(docs: int) -> Iterator[dict[str, str]]:
    pages = load_pages()
    rng = random.Random(SEED + 1)
    languages = tuple(LANGUAGES)
    for index in range(docs):
        page = pages[index % len(pages)]
        language = languages[index % len(languages)]
        parts = LANGUAGES[language]
        extra = " ".join(_sentence(rng, parts, language) for _ in range(2))
        # The first paragraph is usually inside the article; an extra one there makes each copy
        # a near-duplicate of its page rather than a byte-identical one.
        encoded = page.encode("utf-8", "surrogatepass")
        match = FIRST_PARAGRAPH_END.search(encoded)
        if match:
            cut = match.end()
            encoded = encoded[:cut] + f"<p>{extra}</p>".encode() + encoded[cut:]
        site = rng.randrange(500)
        yield {
            "id": f"h{index:07d}",
            "url": f"https://www.site{site}.example.{TLDS[site % len(TLDS)]}/"
            f"{rng.choice(SECTIONS)}/story-{index}.html",
            "html": encoded.decode("utf-8", "surrogatepass"),
        }


def corpus_path(kind: str, docs: int) -> Path:
    return OUT / f"{kind}-{docs}" / f"{kind}-{docs}.jsonl.gz"


def write_corpus(kind: str, docs: int, force: bool = False) -> Path:
    """Write (once) the corpus of `kind` ("text" or "html") with `docs` documents."""
    path = corpus_path(kind, docs)
    if path.exists() and not force:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    records = text_records(docs) if kind == "text" else html_records(docs)
    tmp = path.with_suffix(".tmp")
    # Level 1: the corpus is written once per size and read by every run; speed matters more.
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=1) as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def tiny_path() -> Path:
    """A one-document input, for the fixed per-run overhead."""
    path = OUT / "tiny" / "tiny.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        record = next(text_records(1))
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=("text", "html"), required=True)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--force", action="store_true", help="rewrite an existing corpus")
    args = parser.parse_args()
    print(write_corpus(args.kind, args.docs, args.force))


if __name__ == "__main__":
    main()
