"""Accessibility: axe-core finds nothing serious or critical on the forum's main pages.

axe-core (the npm package in tests/browser, `npm ci --prefix tests/browser`) is injected into
each page, as seen by the person who would see it, and any violation of impact "serious" or
"critical" fails the test. Each page is also loaded on a 360 x 740 phone, where nothing may
stick out sideways (Reflow, WCAG 1.4.10; the OVERFLOW check of conftest.py). The pages checked
(the test ids):

- front: the list of dialogues (anonymous)
- dialogue: a dialogue with its pinned summary and its topics (anonymous)
- topic: a topic in slow mode with its framing, prompt questions, pinned summary, nested
  replies, an answer to a question, an edited post, a hidden post, a quotation, code blocks,
  tables, a long link and a long word, and the reply form under the thread (a participant)
- locked topic: a locked topic with its banner and a hidden post, seen by a moderator (the
  hidden text shown dimmed, the moderation links)
- reply form: /t/<id>/reply quoting a post, with the post replied to (a participant)
- post history: the earlier versions of an edited post (anonymous)
- login, register (anonymous)
- profile: another person's profile, with the suspend and role links (an administrator)
- edit profile, change password, my reports (a participant who has reported a post)
- report a post (a participant)
- moderation queue: with an open report (a moderator)
- public log: with lock, hide, pin, slow mode and suspension entries (anonymous)
- hide a post, lock a topic, suspend (a moderator)
- new topic, summary editor (the dialogue's facilitator)
- topic and dialogue as their facilitator sees them: conclusions under the questions with the
  editing links, and beside the summaries and conclusions how stale they are, with the people
  not yet cited
- conclusion editor (the facilitator), conclusion history (anonymous)
- new dialogue, edit dialogue, facilitators, code of conduct editor, role change (an
  administrator)
- appeals: an open appeal against another moderator's hide, with its decision form (an
  administrator)
- pseudonymous topic: a topic of a pseudonymous dialogue, its authors under a number or a chosen
  name, a hidden post, and the reply form asking for the name to go by (an administrator who
  has not appeared there yet)
- reveal: the form to look behind a post's pseudonym (a moderator)
- reveals: the record of the reveals (an administrator)
- notice: the notice of a hide in the pseudonymous dialogue, with the appeal form (the person
  whose post was hidden)
- transparency: the numbers of a month, per dialogue and for acts on people (anonymous)
- search: results with marked words, posts, a summary and a topic, the filters open
  and the hidden posts' box (a moderator); a search of only common words, with its message
  (anonymous)
- mail outbox: the counts and a failed message with a long address and a long server reply
  (an administrator)
- code of conduct (anonymous)
- not found: the 404 page (anonymous)
"""

import os
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from forum import people as forum_people
from forum.accounts import services as accounts
from forum.conclusions import services as conclusions
from forum.dialogues import services as dialogues
from forum.extensions import db
from forum.mail.models import MailState
from forum.mail.services import enqueue
from forum.moderation import appeals, people, reports, reveals
from forum.moderation import services as moderation
from forum.moderation.models import ReportReason
from forum.posts import services as posts
from forum.summaries import services as summaries
from forum.topics import services as topics
from tests.browser.conftest import ON_POSTGRES, OVERFLOW, PASSWORD, SCREENS, make_people

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
RUN_AXE = "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"

pytestmark = pytest.mark.skipif(
    ON_POSTGRES, reason="the pages' audits do not depend on the database: run on SQLite"
)

# (test id, who looks, path): the path is formatted with the site fixture's attributes.
PAGES = [
    ("front", None, "/"),
    ("dialogue", None, "/d/{dialogue}"),
    ("topic", "amina", "{topic_url}"),
    ("locked topic", "moderator", "{locked_url}"),
    ("reply form", "amina", "/t/{topic}/reply?to={first}&quote=1"),
    ("post history", None, "/p/{first}/history"),
    ("login", None, "/login"),
    ("register", None, "/register"),
    ("profile", "admin", "/u/{amina}"),
    ("edit profile", "amina", "/profile"),
    ("change password", "amina", "/profile/password"),
    ("change email", "amina", "/profile/email"),
    ("my data", "amina", "/profile/data"),
    ("delete account", "amina", "/profile/delete"),
    ("forgot password", None, "/password/forgot"),
    ("notifications", "amina", "/notifications"),
    ("my reports", "amina", "/reports/mine"),
    ("report a post", "amina", "/p/{second}/report"),
    ("moderation queue", "moderator", "/moderation/reports"),
    ("public log", None, "/moderation/log"),
    ("hide a post", "moderator", "/p/{second}/hide"),
    ("content note", "moderator", "/p/{noted}/content-note"),
    ("lock a topic", "moderator", "/t/{topic}/lock"),
    ("suspend", "moderator", "/u/{babar}/suspend"),
    ("new topic", "facilitator", "/d/{dialogue}/new-topic"),
    ("summary editor", "facilitator", "/t/{topic}/summary"),
    ("topic, its facilitator", "facilitator", "{topic_url}"),
    ("dialogue, its facilitator", "facilitator", "/d/{dialogue}"),
    ("conclusion editor", "facilitator", "/t/{topic}/questions/{question}/conclusion"),
    ("conclusion history", None, "/t/{topic}/questions/{question}/conclusion/history"),
    ("new dialogue", "admin", "/dialogues/new"),
    ("edit dialogue", "admin", "/d/{dialogue}/edit"),
    ("facilitators", "admin", "/d/{dialogue}/facilitators"),
    ("code of conduct editor", "admin", "/code-of-conduct/en/edit"),
    ("role change", "admin", "/u/{amina}/role"),
    ("appeals", "admin", "/moderation/appeals"),
    ("pseudonymous topic", "admin", "{pseudonymous_url}"),
    ("reveal", "moderator", "/p/{told}/reveal"),
    ("reveals", "admin", "/admin/reveals"),
    ("notice", "babar", "/notice/{notice}"),
    ("transparency", None, "/transparency"),
    ("search", "moderator", "/search?q=listen&hidden=1&sort=newest"),
    ("search refused", None, "/search?q=the+and+of&dialogue={dialogue}"),
    ("mail outbox", "admin", "/admin/mail"),
    ("participation", "facilitator", "/d/{dialogue}/participation"),
    ("roles and regions", "admin", "/admin/profile-choices"),
    ("code of conduct", None, "/code-of-conduct"),
    ("not found", None, "/d/no-such-dialogue"),
]

FIRST = """I answer the first question from Juba, where our group meets on Thursdays.

> The women who lead are rarely the ones asked to speak.

What we changed:

1. We **listen first**, then ask.
2. We read the [women's network report](https://example.org/report) together.

| Meeting | People |
|---------|-------:|
| Juba    | 14     |
| Yei     | 9      |
"""
SECOND = "Listening means *changing plans*:\n\n```\nplan = ask(women_leaders)\n```"
# What is hardest to fit on a phone: a long link and word, a wide code block and table.
WIDE = """The minutes: https://example.org/reports/2024/men-as-allies/women-peacebuilders-network-annual-review-final.pdf
and a word no phone holds, Friedenskonsolidierungsgleichstellungsbeauftragtenversammlung, in
`an_inline_identifier_that_has_no_break_opportunity_anywhere_inside_it_at_all`.

```
curl --silent "https://example.org/api/v1/dialogues/men-as-allies/topics/listening-first/posts?page=1"
```

| Country | Meetings | Women chairing | Men taking notes | Decisions read back | Notes |
|---|---|---|---|---|---|
| South Sudan | 14 | 9 | 11 | 14 | The group meets on Thursdays in Juba |
"""


def _axe() -> str:
    if not AXE.exists():
        message = f"{AXE} is missing: run npm ci --prefix tests/browser"
        if os.environ.get("FORUM_BROWSER_TESTS") == "required":
            pytest.fail(message)
        pytest.skip(message)
    return str(AXE)


@pytest.fixture(scope="module")
def site(forum):
    """People, a dialogue and topics with every kind of post and moderation on show."""
    tag = uuid.uuid4().hex[:6]
    with forum.app.app_context():
        made = make_people(tag)
        moderator, facilitator = made["moderator"], made["facilitator"]
        amina, babar = made["amina"], made["babar"]
        accounts.update_profile(
            amina, organisation="South Sudan Women's Network", country="SS", bio="I organise."
        )
        dialogue = dialogues.create_dialogue(
            slug=f"allies-{tag}",
            title=f"Men as allies {tag}",
            description="How men support **women peacebuilders**.",
            by=None,
        )
        dialogues.assign_facilitator(dialogue, facilitator, by=None)
        topic = topics.open_topic(
            dialogue,
            title=f"Listening first {tag}",
            framing="What does *listening* look like in [your group](https://example.org)?",
            questions=["Who listens?", "When do you listen?", "What changes?"],
            by=facilitator,
        )
        first = posts.reply(topic, by=amina, body=FIRST, prompt_id=topic.questions[0].id)
        second = posts.reply(topic, by=babar, body=SECOND, parent_id=first.id)
        third = posts.reply(topic, by=amina, body="Yes, we write it down.", parent_id=second.id)
        wide = posts.reply(topic, by=babar, body=WIDE, parent_id=third.id)
        hidden = posts.reply(topic, by=babar, body="Something the moderators hid.")
        noted = posts.reply(
            topic, by=amina, body=SECOND, content_note="describes a threat", parent_id=first.id
        )
        posts.edit_post(first, by=amina, body=FIRST + "\nEdited: 15 people now.")
        moderation.hide_post(hidden, by=moderator, reason="Personal information.")
        reports.report_post(wide, by=amina, reason=ReportReason.off_topic)
        summaries.save_summary(
            topic, source=f"Listening comes first (#p{first.id}).", pinned=True, by=facilitator
        )
        summaries.save_summary(
            dialogue, source="Men listen, then act.", pinned=True, by=facilitator
        )
        for source in ("Listening first.", f"Those who listen *first* (#p{first.id})."):
            conclusions.save_conclusion(topic.questions[0], source=source, by=facilitator)
        moderation.set_slow_mode(topic, by=moderator, minutes=5, reason="A heated day.")
        locked = topics.open_topic(
            dialogue,
            title=f"Closed talk {tag}",
            framing="An older topic.",
            questions=["What happened?"],
            by=facilitator,
        )
        posts.reply(locked, by=babar, body="It was a good meeting.")
        gossip = posts.reply(locked, by=babar, body="Her phone number is in the minutes.")
        hid = moderation.hide_post(
            gossip, by=moderator, reason="Personal information.", rule="personal_information"
        )
        appeals.file_appeal(hid, by=babar, statement="The number is the office's, not hers.")
        moderation.lock_topic(locked, by=moderator, reason="The meeting is over.", rule="off_topic")
        people.suspend(made["reader"], by=moderator, reason="Repeated insults.", rule="harassment")
        quiet = dialogues.create_dialogue(
            slug=f"safe-{tag}",
            title=f"Speaking safely {tag}",
            description="Everyone here goes by a pseudonym.",
            pseudonymous=True,
            by=None,
        )
        dialogues.assign_facilitator(quiet, facilitator, by=None)
        shelter = topics.open_topic(
            quiet,
            title=f"What helped {tag}",
            framing="Tell us what helped you speak.",
            questions=["Who helped?"],
            by=facilitator,
        )
        told = posts.reply(shelter, by=amina, body="A kitchen where nobody wrote anything down.")
        forum_people.choose(quiet, babar, "Olive Tree")
        posts.reply(shelter, by=babar, body="The same kitchen.", parent_id=told.id)
        threat = posts.reply(shelter, by=babar, body="I know which kitchen it was.")
        hid_threat = moderation.hide_post(
            threat, by=moderator, reason="It points at a person.", rule="personal_information"
        )
        reveals.reveal_author(
            told, by=moderator, reason="A threat against the author was reported by mail."
        )
        refused = enqueue(
            to=f"a.very.long.mailbox.name.that.no.phone.fits.{tag}@peacebuilders-network.example.org",
            subject="Confirm your address on Dialogue Forum",
            text="Open the link to confirm.",
        )
        refused.state, refused.attempts = MailState.failed, 1
        refused.last_error = "550 b'5.1.1 <a.very.long.mailbox.name> User unknown; rejecting'"
        db.session.commit()
        return SimpleNamespace(
            usernames={key: user.username for key, user in made.items()},
            dialogue=dialogue.slug,
            topic=topic.id,
            topic_url=f"/t/{topic.id}/{topic.slug}",
            question=topic.questions[0].id,
            locked_url=f"/t/{locked.id}/{locked.slug}",
            first=first.id,
            second=second.id,
            noted=noted.id,
            amina=amina.username,
            babar=babar.username,
            pseudonymous_url=f"/t/{shelter.id}/{shelter.slug}",
            told=told.id,
            notice=appeals.notice_token(hid_threat.id, babar.id),
        )


@pytest.fixture(scope="module")
def windows(browser, forum, site):
    """window(who, screen) gives a page logged in as who (None: anonymous), one context each."""
    opened, sessions = {}, {}

    def window(who: str | None, screen: str):
        if (who, screen) not in opened:
            context = browser.new_context(
                base_url=forum.url,
                bypass_csp=True,
                storage_state=sessions.get(who),
                **SCREENS[screen],
            )
            context.set_default_timeout(10_000)
            page = context.new_page()
            if who and who not in sessions:
                page.goto("/login")
                page.get_by_label("Username or email").fill(site.usernames[who])
                page.get_by_label("Password", exact=True).fill(PASSWORD)
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url("**/")
                sessions[who] = context.storage_state()
            opened[who, screen] = (context, page)
        return opened[who, screen][1]

    yield window
    for context, _ in opened.values():
        context.close()


def _open(page, site, path: str):
    response = page.goto(path.format(**vars(site)))
    assert response.status == (404 if path.startswith("/d/no-such") else 200)


@pytest.mark.parametrize(("who", "path"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_no_serious_accessibility_violation(windows, site, who, path):
    axe = _axe()
    page = windows(who, "desktop")
    _open(page, site, path)
    page.add_script_tag(path=axe)
    violations = [v for v in page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]
    assert violations == [], "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in violations
    )


@pytest.mark.parametrize(("who", "path"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_pages_fit_a_phone(windows, site, who, path):
    """Reflow (WCAG 1.4.10): on a 360 px wide phone nothing needs scrolling sideways."""
    page = windows(who, "phone")
    _open(page, site, path)
    overflow = page.evaluate(OVERFLOW)
    assert overflow == [], f"{page.url} is wider than the phone: {overflow}"
