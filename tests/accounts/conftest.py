"""A person with a trace in every table that can hold one: for their archive and deletion."""

from types import SimpleNamespace

import pytest

from forum.accounts.models import Role
from forum.accounts.services import find_by_username, request_password_reset
from forum.conclusions.services import save_conclusion
from forum.dialogues.models import Dialogue
from forum.dialogues.services import assign_facilitator
from forum.extensions import db
from forum.moderation.appeals import file_appeal
from forum.moderation.models import ReportReason
from forum.moderation.reports import report_post
from forum.moderation.services import hide_post
from forum.people import choose
from forum.posts.models import Post
from forum.posts.services import edit_post, quotation
from forum.summaries.services import save_summary
from forum.topics.models import PromptQuestion, Topic


@pytest.fixture
def world(app, create_user, create_dialogue, create_topic, create_post):
    create_user("nadia", role=Role.admin, display_name="Nadia Haddad")
    create_user("lucia", display_name="Lucía Pérez")
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    create_user("otto", display_name="Otto Brandt")
    create_user(
        "zqxperson",
        display_name="Zoraida Quillfeather",
        organisation="Quillfeather Collective",
        bio="Known for quillwork",
        country="KE",
    )
    named = create_dialogue("open-room", facilitators=["lucia"])
    safe = create_dialogue(
        "safe-room", title="Safe room", pseudonymous=True, facilitators=["lucia"]
    )
    topic = create_topic(named)
    hidden_topic = create_topic(safe, title="Speaking safely")
    words = create_post(
        topic, by="zqxperson", subject="Zq subject", body="Zq before the edit, a draft."
    )
    unkind = create_post(topic, by="zqxperson", body="Something the moderators hide.")
    other = create_post(topic, by="otto", body="A post by Otto.")
    with app.app_context():
        person, grace = find_by_username("zqxperson"), find_by_username("grace")
        edit_post(
            db.session.get(Post, words.id),
            by=person,
            body="Zq words about the river.",
            subject="Zq subject",
        )
        choose(db.session.get(Dialogue, safe.id), person, "Moonflower")
        report_post(
            db.session.get(Post, other.id),
            by=person,
            reason=ReportReason.spam,
            note="Zq report note",
        )
        entry = hide_post(
            db.session.get(Post, unkind.id), by=grace, reason="Unkind.", rule="respect"
        )
        file_appeal(entry, by=person, statement="Zq appeal statement")
        assign_facilitator(db.session.get(Dialogue, safe.id), person, by=None)
        quoted = quotation(db.session.get(Post, words.id))
        db.session.commit()
    secret = create_post(hidden_topic, by="zqxperson", body="Zq secret words.")
    with app.app_context():
        quoted_secret = quotation(db.session.get(Post, secret.id))
    reply = create_post(topic, by="otto", body=quoted + "I agree with her.", parent_id=words.id)
    create_post(hidden_topic, by="otto", body=quoted_secret + "Same here.", parent_id=secret.id)
    with app.app_context():
        save_summary(
            db.session.get(Topic, topic.id),
            source=f"As #p{words.id} said, and #p{other.id}.",
            pinned=True,
            by=find_by_username("lucia"),
        )
        save_conclusion(
            db.session.get(PromptQuestion, topic.question_ids[0]),
            source=f"Heard in #p{other.id} and #p{words.id}.",
            by=find_by_username("lucia"),
        )
        request_password_reset("zqxperson@example.org", language="en")
        db.session.commit()
    return SimpleNamespace(
        topic=topic, hidden_topic=hidden_topic, words=words, reply=reply, secret=secret
    )
