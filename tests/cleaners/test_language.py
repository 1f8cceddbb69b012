import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.metadata.language import detect_language
from cleaners.options import NEWS_LANGUAGES

SENTENCES = {
    "en": "The leaders agreed to meet again next year to discuss trade and security.",
    "fr": "Les dirigeants ont convenu de se retrouver l'année prochaine pour parler de commerce.",
    "de": "Die Staatschefs vereinbarten, sich im nächsten Jahr wieder zu treffen.",
    "it": "I leader hanno concordato di incontrarsi di nuovo il prossimo anno.",
    "es": "Los líderes acordaron reunirse de nuevo el próximo año para hablar de comercio.",
    "pt": "Os líderes concordaram em voltar a reunir-se no próximo ano para falar de comércio.",
    "nl": "De leiders spraken af om volgend jaar opnieuw bijeen te komen over handel.",
    "pl": "Przywódcy uzgodnili, że spotkają się ponownie w przyszłym roku, by rozmawiać o handlu.",
    "ru": "Лидеры договорились снова встретиться в следующем году, чтобы обсудить торговлю.",
    "tr": "Liderler ticaret ve güvenliği görüşmek için gelecek yıl yeniden bir araya gelecek.",
    "uk": "Лідери домовилися знову зустрітися наступного року, щоб обговорити торгівлю.",
    "zh": "两国领导人同意明年再次会晤，讨论贸易与安全问题。",
    "ja": "両国の首脳は来年再び会談し、貿易と安全保障について話し合うことで合意した。",
}


def test_detects_sentences_in_many_languages():
    for code, text in SENTENCES.items():
        found, score = detect_language(text)
        assert found == code, (text, found)
        assert 0.5 < score <= 1.0


def test_short_texts_are_decided_by_lingua():
    assert detect_language("kapal selam")[0] == "id"
    assert detect_language("Gipfel in Astana")[0] == "de"
    assert detect_language("浙江")[0] == "zh"


def test_undetermined_without_letters():
    assert detect_language("") == ("und", 0.0)
    assert detect_language("   \n\n ") == ("und", 0.0)
    assert detect_language("12:45 — 2024/07/08 ++") == ("und", 0.0)


def test_answer_is_restricted_to_the_configured_languages():
    # Danish text with Danish not configured: the answer is still one of the configured ones.
    code, _ = detect_language("Lederne blev enige om at mødes igen næste år.", ("de", "en", "sv"))
    assert code in ("de", "en", "sv")


def test_language_codes_are_case_insensitive():
    assert detect_language(SENTENCES["fr"], ("EN", "FR"))[0] == "fr"


def test_long_text_is_sampled():
    import time

    text = " ".join([SENTENCES["pt"]] * 20000)  # about 1.7 MB
    detect_language(SENTENCES["pt"])
    start = time.perf_counter()
    assert detect_language(text)[0] == "pt"
    assert time.perf_counter() - start < 1.0


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_and_answers_a_configured_code(text):
    code, score = detect_language(text)
    assert code == "und" or code in NEWS_LANGUAGES
    assert 0.0 <= score <= 1.0
    if code == "und":
        assert score == 0.0


def test_surrogates_and_control_characters_do_not_raise():
    assert detect_language("caf\ud800é au lait\x00 pour tout le monde")[0] in NEWS_LANGUAGES


LONG_TEXTS = [
    "Die Regierung hat am Montag neue Regeln für den Wohnungsbau vorgestellt. Gemeinden sollen "
    "schneller bauen dürfen, und private Vermieter bekommen Zuschüsse für die Sanierung alter "
    "Häuser, sagte die Ministerin vor Journalisten in Berlin. "
    "Die Opposition hält das für zu wenig.",
    "Le gouvernement a présenté lundi de nouvelles règles pour le logement. Les communes pourront "
    "construire plus vite et les propriétaires recevront des aides pour rénover les vieux "
    "immeubles, a déclaré la ministre devant la presse à Paris. "
    "L'opposition juge cela insuffisant.",
    "Rząd przedstawił w poniedziałek nowe zasady budownictwa mieszkaniowego. Gminy będą mogły "
    "budować szybciej, a właściciele dostaną dopłaty do remontów starych kamienic, powiedziała "
    "minister dziennikarzom w Warszawie. Opozycja uważa, że to zdecydowanie za mało i za późno.",
]


@pytest.mark.parametrize("text", LONG_TEXTS)
def test_long_texts_get_the_same_lingua_scores_from_the_trigram_models_alone(text: str) -> None:
    from cleaners.metadata.language import LINGUA_TRIGRAM_CHARS, _lingua, _normalised

    assert len(text) >= LINGUA_TRIGRAM_CHARS
    languages = _normalised(NEWS_LANGUAGES)
    light = _lingua(languages, trigrams_only=True).compute_language_confidence_values(text)
    full = _lingua(languages).compute_language_confidence_values(text)
    assert [(v.language, round(v.value, 12)) for v in light] == [
        (v.language, round(v.value, 12)) for v in full
    ]


def test_a_short_text_loads_full_models_of_a_few_languages_only() -> None:
    """All 28 languages' full models take ~700 MB of a worker; one short text needs a few."""
    script = (
        "from cleaners.metadata.language import load_models, detect_language\n"
        "def rss():\n"
        "    status = open('/proc/self/status').read()\n"
        "    return int(status.split('VmRSS:')[1].split()[0]) // 1024\n"
        "load_models()\n"
        "before = rss()\n"
        "print(detect_language('quel temps fait-il')[0], rss() - before)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    language, grown_mb = done.stdout.split()
    assert language == "fr"
    assert int(grown_mb) < 350
