"""`forum demo`: demo content, loaded once, with generated passwords."""

import re

from sqlalchemy import func, select

from forum.accounts.models import Role, User
from forum.extensions import db
from tests.conftest import empty_database


def test_demo_loads_users_of_every_role_once_with_generated_passwords(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    password = re.search(r"^\s+admin\s+(\S+)\s+\(admin\)$", result.output, re.M).group(1)
    assert client.login("admin", password).status_code == 302
    with app.app_context():
        roles = set(db.session.scalars(select(User.role)))
        count = db.session.scalar(select(func.count(User.id)))
    assert roles == set(Role)

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert "already has content" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == count

    second = app.test_cli_runner()
    assert password not in second.invoke(args=["demo"]).output


def test_demo_passwords_differ_between_forums(app):
    first = app.test_cli_runner().invoke(args=["demo"]).output
    with app.app_context():
        empty_database()
    second = app.test_cli_runner().invoke(args=["demo"]).output
    pattern = re.compile(r"^\s+admin\s+(\S+)", re.M)
    assert pattern.search(first).group(1) != pattern.search(second).group(1)


def test_the_demo_shows_every_part_of_the_forum(app, client):
    """One demo load (about four seconds on each database), read as each part's reader."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    a_facilitated_dialogue_with_threads_and_quotes(client)
    a_pseudonymous_dialogue_that_shows_no_names(client)
    search_in_its_three_languages(client)
    conclusions_and_a_stale_summary(client, result.output)  # logs in as the facilitator
    groups_on_its_participation_page(client)


def a_facilitated_dialogue_with_threads_and_quotes(client):
    front = client.get("/").text
    assert "Men as allies in women-led peacebuilding" in front
    dialogue = client.get("/d/men-as-allies").text
    assert "Lucía Pérez" in dialogue
    assert "3 prompt questions" in dialogue
    topic = client.get("/t/1", follow_redirects=True).text
    assert topic.count("<li>") >= 3
    assert "wrote:</strong>" in topic  # quotes
    assert 'class="post d3' in topic  # threads three replies deep
    assert "answers Q2" in topic
    for language_word in ("médiation", "comunidades", "experience"):
        assert language_word in topic
    assert "Topic locked by Grace Mutesi" in topic
    assert "Facilitators' summary" in topic and "cited in the summary" in topic
    # The lock's reason says where the summary is, truly: below the banner and the questions.
    banner = topic.index('class="banner locked"')
    assert banner < topic.index('id="questions"') < topic.index('id="summary"')
    reason = topic[banner : topic.index("</p>", banner)]
    for below in ("below the prompt questions", "sous les questions", "debajo de las preguntas"):
        assert below in reason
    assert "above" not in reason
    # In the second topic, a post about threats is collapsed behind its content note.
    page = client.get("/t/2", follow_redirects=True).text
    note = '<details class="content-note">\n  <summary>Content note: describes threats'
    assert note in page and "Threats now arrive by phone" in page
    log = client.get("/moderation/log").text
    assert "Topic locked" in log and "Summary pinned" in log


def a_pseudonymous_dialogue_that_shows_no_names(client):
    dialogue = client.get("/d/speaking-safely").text
    assert "A pseudonymous dialogue" in dialogue and "Lucía Pérez" not in dialogue
    link = re.search(r'href="(/t/\d+/what-made-it-possible[^"]*)"', dialogue).group(1)
    topic = client.get(link).text
    assert "What made it possible for you to speak?" in topic
    assert "Ceiba" in topic and "Participant 3" in topic
    assert "<strong>Ceiba wrote:</strong>" in topic
    for name in ("Sofía Morales", "Jean-Baptiste", "Amina Diallo", "/u/"):
        assert name not in topic.split("<main")[1].split("</main>")[0]


def search_in_its_three_languages(client):
    # Without its accent, "mediacion" finds the Spanish posts about mediation, the word marked.
    page = client.get("/search?q=mediacion").text
    spanish = re.findall(r'<p class="snippet" lang="es">(.*?)</p>', page, re.S)
    assert len(spanish) >= 3
    assert all("<mark>mediación</mark>" in snippet for snippet in spanish)
    # A French query finds French posts by their stem: "médiatrices" finds "médiatrice".
    page = client.get("/search?q=médiatrices").text
    french = re.findall(r'<p class="snippet" lang="fr">(.*?)</p>', page, re.S)
    assert len(french) >= 2
    assert all("<mark>médiatrice</mark>" in snippet for snippet in french)
    assert '<p class="snippet" lang="en">' not in page


def conclusions_and_a_stale_summary(client, output: str):
    topic = client.get("/t/1", follow_redirects=True).text
    questions = topic.split('<ol class="questions">')[1].split("</ol>")[0]
    assert questions.count('class="conclusion"') == 3 and "open the door" in questions
    assert "cited in the conclusion to Q1" in topic and "edited once" in questions
    overview = client.get("/d/men-as-allies").text
    assert overview.count('<div class="conclusion">') == 3
    safety = client.get("/t/2", follow_redirects=True).text
    assert "Interim summary" in safety and "since this summary" not in safety
    password = re.search(r"^\s+facilitator\s+(\S+)", output, re.M).group(1)
    client.login("facilitator", password)
    safety = client.get("/t/2", follow_redirects=True).text
    notice = safety.split('id="summary"')[1].split('<div class="staleness')[1].split("</div>")[0]
    # The posts written after the interim summary (the demo's voices included).
    assert "34 posts since this summary was last edited." in notice
    assert "A post it cites was edited or hidden since:" in notice and "(edited)" in notice
    assert "Cites 3 of 22 participants." in notice
    assert "Not yet cited: 19 people" in notice
    assert "<p>Ahmad Haddad, Aisha Rahimi, Babar Khan, Carlos Mendoza, David Okello," in notice


def groups_on_its_participation_page(client):  # as the facilitator
    page = client.get("/d/men-as-allies/participation").text
    assert "People who declared “Male ally” (8) wrote" in page
    assert "of the answers to question 2.3" in page
    assert "Who answers whom" in page and "from Male ally" in page
    for name in ("Kwame Mensah", "Fatima Abdelrahman", "Amina Diallo"):
        assert name not in page
