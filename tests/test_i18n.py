"""English, French and Spanish: complete catalogues and the choice of language."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from forum.accounts.models import User
from forum.extensions import db
from forum.i18n import BABEL_CONFIG, KEYWORDS, TRANSLATIONS

ROOT = Path(__file__).resolve().parent.parent


def source_messages() -> set:
    from babel.messages.extract import DEFAULT_KEYWORDS
    from babel.messages.frontend import parse_mapping_cfg

    with open(BABEL_CONFIG) as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, **dict.fromkeys(KEYWORDS)}
    found = set()
    for *_, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add((message if isinstance(message, str) else tuple(message), context))
    return found


@pytest.mark.parametrize("language", ["fr", "es"])
def test_catalogue_translates_every_string_of_the_source(language):
    folder = Path(TRANSLATIONS) / language / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as handle:
        catalogue = read_po(handle)
    missing = []
    for message, context in source_messages():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid, context=context)
        if (
            entry is None
            or entry.fuzzy
            or not all(entry.string if isinstance(entry.string, tuple) else [entry.string])
        ):
            missing.append(msgid)
    assert missing == [], f"{language} misses {len(missing)} strings"
    with open(folder / "messages.mo", "rb") as handle:
        compiled = read_mo(handle)
    stale = [m.id for m in catalogue if m.id and compiled.get(m.id, context=m.context) is None]
    assert stale == [], "messages.mo is older than messages.po: run `forum i18n compile`"


def test_language_from_accept_language(client):
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9"}).text
    assert '<html lang="es">' in client.get("/", headers={"Accept-Language": "es-419"}).text
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "de"}).text


def test_anonymous_reader_switches_language_without_javascript(client):
    response = client.get("/language/es?next=/login")
    assert response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "fr"})
    assert '<html lang="es">' in page.text
    assert "Iniciar sesión" in page.text
    assert client.get("/language/de").status_code == 404
    assert client.get("/language/fr?next=https://evil.example").headers["Location"] == "/"


def test_logged_in_choice_is_kept_in_the_profile(app, client, user):
    client.login("amina")
    response = client.submit("/language/fr?next=/", page="/", follow_redirects=True)
    assert '<html lang="fr">' in response.text
    with app.app_context():
        assert db.session.get(User, user.id).locale == "fr"
    client.delete_cookie("lang")
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "es"}).text


def test_dates_are_formatted_for_the_language(client, user):
    english = client.get("/u/amina", headers={"Accept-Language": "en"}).text
    french = client.get("/u/amina", headers={"Accept-Language": "fr"}).text
    assert "Member since" in english
    assert "Membre depuis" in french
    months_fr = (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    )
    assert any(month in french for month in months_fr)
