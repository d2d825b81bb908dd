"""/transparency: per month and per dialogue, counted from the moderation log and the reports,
so its numbers and the log never disagree."""

import re
from collections import Counter
from datetime import timedelta

from sqlalchemy import select, update

from forum.accounts.models import Role
from forum.accounts.services import find_by_username
from forum.clock import utcnow
from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.moderation import appeals, people, reports
from forum.moderation.models import Action, LogEntry, Report, ReportReason
from forum.moderation.services import hide_post, lock_topic, restore_post
from forum.posts.models import Post
from forum.topics.models import Topic

LABELS = {
    "Posts hidden": Action.hide,
    "Posts restored": Action.restore,
    "Topics locked": Action.lock,
    "People suspended": Action.suspend,
    "Appeals": Action.appeal,
    "Appeals that reversed the decision": Action.appeal_reversed,
}


def build_acts(app, dialogue_setup, create_user, create_dialogue, create_topic, create_post):
    """Reports, hides, a restore, a lock, a suspension, two appeals (one reversed), in two
    dialogues; the first dialogue's reports decided two hours after they were made."""
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    create_user("omar")
    other = create_dialogue("another", title="Another dialogue", facilitators=["omar"])
    other_topic = create_topic(other, by="omar", title="Elsewhere")
    rude = create_post(dialogue_setup.topic, by="babar", body="Rude words.")
    spam = create_post(dialogue_setup.topic, by="babar", body="Buy now.")
    mine = create_post(other_topic, by="amina", body="My story.")
    drift = create_post(other_topic, by="babar", body="Football scores.")
    with app.app_context():
        get = lambda name: find_by_username(name)  # noqa: E731
        post = lambda facts: db.session.get(Post, facts.id)  # noqa: E731
        grace, nadia = get("grace"), get("nadia")
        reports.report_post(post(rude), by=get("amina"), reason=ReportReason.harassment)
        reports.report_post(post(rude), by=get("lucia"), reason=ReportReason.hateful)
        reports.report_post(post(drift), by=get("amina"), reason=ReportReason.off_topic)
        db.session.execute(
            update(Report)
            .where(Report.post_id == rude.id)
            .values(created_at=utcnow() - timedelta(hours=2))
        )
        reports.resolve_reports(post(rude), by=grace, hide=True, note="Insults.", rule="respect")
        reports.resolve_reports(post(drift), by=grace, hide=False, note="It is on topic.")
        restore_post(post(rude), by=nadia, reason="Apologised.")
        hide_post(post(spam), by=grace, reason="Advertising.", rule="spam")
        lock_topic(
            db.session.get(Topic, dialogue_setup.topic.id), by=grace, reason="Over.",
            rule="off_topic",
        )  # fmt: skip
        people.suspend(get("babar"), by=grace, reason="Insults.", rule="harassment")
        hidden = hide_post(post(mine), by=grace, reason="Names a place.", rule="safety")
        upheld = appeals.file_appeal(hidden, by=get("amina"), statement="It is my own town.")
        appeals.decide(upheld, by=nadia, reverse=True, reason="Her own town, her choice.")
        suspended = db.session.scalar(select(LogEntry).where(LogEntry.action == Action.suspend))
        appeal = appeals.file_appeal(suspended, by=get("babar"), statement="Sorry.")
        appeals.decide(appeal, by=nadia, reverse=False, reason="Repeated.")
        db.session.commit()


def cards(page: str) -> dict[str, dict[str, str]]:
    """Each dialogue's card on the page: its title, and its numbers by label."""
    found = {}
    for card in page.split('<article class="card numbers">')[1:]:
        card = card.split("</article>")[0]
        title = re.sub(r"<[^>]+>", "", re.search(r"<h3>(.*?)</h3>", card).group(1))
        pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", card, re.S)
        found[title] = {label: value.strip() for label, value in pairs}
    return found


def test_the_numbers_agree_with_the_log(
    app, client, dialogue_setup, create_user, create_dialogue, create_topic, create_post
):
    build_acts(app, dialogue_setup, create_user, create_dialogue, create_topic, create_post)
    page = client.get("/transparency")
    assert page.status_code == 200
    month = utcnow().strftime("%B %Y")
    assert f">{month}</h2>" in page.text
    shown = cards(page.text)
    with app.app_context():
        titles = dict(db.session.execute(select(Dialogue.id, Dialogue.title)).all())
        logged = Counter(
            (titles.get(dialogue_id, "Acts on people (the whole forum)"), action)
            for dialogue_id, action in db.session.execute(
                select(LogEntry.dialogue_id, LogEntry.action)
            )
        )
    for title, numbers in shown.items():
        for label, action in LABELS.items():
            assert int(numbers[label]) == logged[title, action], (title, label)
    # What a person counting the log by hand finds.
    allies, another = shown["Men as allies"], shown["Another dialogue"]
    people_card = shown["Acts on people (the whole forum)"]
    assert (allies["Posts hidden"], allies["Posts restored"], allies["Topics locked"]) == (
        "2", "1", "1",
    )  # fmt: skip
    assert allies["Reports"] == "2 (Harassment or abuse: 1, Hateful content: 1)"
    assert allies["Median time from a report to its decision"] == "2 hours"
    assert another["Reports"] == "1 (Off-topic: 1)"
    assert (another["Appeals"], another["Appeals that reversed the decision"]) == ("1", "1")
    assert another["Posts restored"] == "1"  # the reversal restored the post
    assert (people_card["People suspended"], people_card["Appeals"]) == ("1", "1")
    assert people_card["Appeals that reversed the decision"] == "0"


def test_the_page_speaks_french_and_spanish_and_says_when_nothing_happened(app, client):
    assert "Nothing has been moderated yet." in client.get("/transparency").text
    french = client.get("/transparency", headers={"Accept-Language": "fr"}).text
    assert '<html lang="fr"' in french and "Transparence" in french
    spanish = client.get("/transparency", headers={"Accept-Language": "es"}).text
    assert '<html lang="es"' in spanish and "Transparencia" in spanish


def test_the_page_costs_a_few_queries(
    app, client, queries, dialogue_setup, create_user, create_dialogue, create_topic, create_post
):
    build_acts(app, dialogue_setup, create_user, create_dialogue, create_topic, create_post)
    with queries() as seen:
        page = client.get("/transparency").text
    assert len(seen.statements) <= 5, seen.statements
    assert "Babar" not in page and "Amina" not in page  # numbers, nobody's name
