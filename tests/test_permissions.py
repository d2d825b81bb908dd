"""The permission matrix: every route of the app, for every kind of person.

A route added without a line here fails test_every_route_has_a_rule, so nobody adds a page
without deciding who may use it. 'Allowed' means the server did not refuse: no 403 and no
redirect to the login page; what happens next (a form error, a 409) is each feature's test.
"""

from types import SimpleNamespace

import pytest

from forum.accounts.models import ChoiceKind, Role
from forum.accounts.services import find_by_username
from forum.conclusions.services import save_conclusion
from forum.dialogues.models import DialogueState
from forum.extensions import db
from forum.mail.models import MailState
from forum.mail.services import enqueue
from forum.moderation.appeals import file_appeal
from forum.moderation.services import hide_post, lock_topic
from forum.participation.choices import add_choice
from forum.posts.models import Post
from forum.summaries.services import save_summary
from forum.topics.models import PromptQuestion, Topic

ANONYMOUS, PARTICIPANT, FACILITATOR, OTHER_FACILITATOR, MODERATOR, ADMIN = ROLES = (
    "anonymous", "participant", "facilitator", "facilitator of another dialogue",
    "moderator", "admin",
)  # fmt: skip
ALL = set(ROLES)
MEMBERS = ALL - {ANONYMOUS}
FACILITATORS = {FACILITATOR, MODERATOR, ADMIN}
MODERATORS = {MODERATOR, ADMIN}
ADMINS = {ADMIN}
USERNAMES = {
    PARTICIPANT: "amina",
    FACILITATOR: "lucia",
    OTHER_FACILITATOR: "omar",
    MODERATOR: "grace",
    ADMIN: "nadia",
}

# (rule, method): who may. The participant wrote the post the post routes act on.
MATRIX = {
    ("/", "GET"): ALL,
    ("/feed.rss", "GET"): ALL,
    ("/moderation/log/feed.rss", "GET"): ALL,
    ("/d/<slug>/feed.rss", "GET"): ALL,
    ("/t/<int:topic_id>/feed.rss", "GET"): ALL,
    ("/healthz", "GET"): ALL,
    ("/favicon.ico", "GET"): ALL,
    ("/code-of-conduct", "GET"): ALL,
    ("/code-of-conduct/<language>/edit", "GET"): ADMINS,
    ("/code-of-conduct/<language>/edit", "POST"): ADMINS,
    ("/static/<path:filename>", "GET"): ALL,
    ("/language/<code>", "GET"): ALL,
    ("/language/<code>", "POST"): ALL,
    ("/register", "GET"): ALL,
    ("/register", "POST"): ALL,
    ("/login", "GET"): ALL,
    ("/login", "POST"): ALL,
    ("/password/forgot", "GET"): ALL,
    ("/password/forgot", "POST"): ALL,
    ("/password/reset/<token>", "GET"): ALL,
    ("/password/reset/<token>", "POST"): ALL,
    ("/email/confirm/<token>", "GET"): ALL,
    ("/profile/email", "GET"): MEMBERS,
    ("/profile/email", "POST"): MEMBERS,
    ("/profile/email/confirm", "POST"): MEMBERS,
    ("/logout/everywhere", "POST"): MEMBERS,
    ("/logout", "POST"): ALL,
    ("/u/<username>", "GET"): ALL,
    ("/profile", "GET"): MEMBERS,
    ("/profile", "POST"): MEMBERS,
    ("/profile/password", "GET"): MEMBERS,
    ("/profile/password", "POST"): MEMBERS,
    ("/profile/data", "GET"): MEMBERS,
    ("/profile/data", "POST"): MEMBERS,
    ("/profile/delete", "GET"): MEMBERS,
    ("/profile/delete", "POST"): MEMBERS,
    ("/dialogues/new", "GET"): ADMINS,
    ("/dialogues/new", "POST"): ADMINS,
    ("/d/<slug>", "GET"): ALL,
    ("/d/<slug>/edit", "GET"): ADMINS,
    ("/d/<slug>/edit", "POST"): ADMINS,
    ("/d/<slug>/facilitators", "GET"): ADMINS,
    ("/d/<slug>/facilitators", "POST"): ADMINS,
    ("/d/<slug>/facilitators/<username>/remove", "POST"): ADMINS,
    ("/d/<slug>/new-topic", "GET"): FACILITATORS,
    ("/d/<slug>/new-topic", "POST"): FACILITATORS,
    ("/d/<slug>/summary", "GET"): FACILITATORS,
    ("/d/<slug>/summary", "POST"): FACILITATORS,
    ("/d/<slug>/summary/unpin", "POST"): FACILITATORS,
    ("/d/<slug>/summary/history", "GET"): ALL,
    ("/t/<int:topic_id>", "GET"): ALL,
    ("/t/<int:topic_id>/<slug>", "GET"): ALL,
    ("/t/<int:topic_id>/edit", "GET"): FACILITATORS,
    ("/t/<int:topic_id>/edit", "POST"): FACILITATORS,
    ("/t/<int:topic_id>/history", "GET"): ALL,
    ("/t/<int:topic_id>/first-new", "GET"): MEMBERS,
    ("/t/<int:topic_id>/reply", "GET"): MEMBERS,
    ("/t/<int:topic_id>/reply", "POST"): MEMBERS,
    ("/t/<int:topic_id>/lock", "GET"): FACILITATORS,
    ("/t/<int:topic_id>/lock", "POST"): FACILITATORS,
    ("/t/<int:topic_id>/unlock", "GET"): FACILITATORS,
    ("/t/<int:topic_id>/unlock", "POST"): FACILITATORS,
    ("/t/<int:topic_id>/slow-mode", "GET"): FACILITATORS,
    ("/t/<int:topic_id>/slow-mode", "POST"): FACILITATORS,
    ("/t/<int:topic_id>/summary", "GET"): FACILITATORS,
    ("/t/<int:topic_id>/summary", "POST"): FACILITATORS,
    ("/t/<int:topic_id>/summary/unpin", "POST"): FACILITATORS,
    ("/t/<int:topic_id>/summary/history", "GET"): ALL,
    ("/t/<int:topic_id>/questions/<int:question_id>/conclusion", "GET"): FACILITATORS,
    ("/t/<int:topic_id>/questions/<int:question_id>/conclusion", "POST"): FACILITATORS,
    ("/t/<int:topic_id>/questions/<int:question_id>/conclusion/history", "GET"): ALL,
    ("/p/<int:post_id>", "GET"): ALL,
    ("/p/<int:post_id>/history", "GET"): ALL,
    ("/p/<int:post_id>/edit", "GET"): {PARTICIPANT},
    ("/p/<int:post_id>/edit", "POST"): {PARTICIPANT},
    ("/p/<int:post_id>/report", "GET"): MEMBERS,
    ("/p/<int:post_id>/report", "POST"): MEMBERS,
    ("/p/<int:post_id>/hide", "GET"): MODERATORS,
    ("/p/<int:post_id>/hide", "POST"): MODERATORS,
    ("/p/<int:post_id>/restore", "GET"): MODERATORS,
    ("/p/<int:post_id>/restore", "POST"): MODERATORS,
    ("/p/<int:post_id>/content-note", "GET"): MODERATORS,
    ("/p/<int:post_id>/content-note", "POST"): MODERATORS,
    ("/reports/mine", "GET"): MEMBERS,
    ("/moderation/log", "GET"): ALL,
    ("/moderation/reports", "GET"): MODERATORS,
    ("/moderation/reports/<int:post_id>", "POST"): MODERATORS,
    ("/u/<username>/suspend", "GET"): MODERATORS,
    ("/u/<username>/suspend", "POST"): MODERATORS,
    ("/u/<username>/unsuspend", "GET"): MODERATORS,
    ("/u/<username>/unsuspend", "POST"): MODERATORS,
    ("/u/<username>/role", "GET"): ADMINS,
    ("/u/<username>/role", "POST"): ADMINS,
    ("/notifications", "GET"): MEMBERS,
    ("/notifications/read", "POST"): MEMBERS,
    ("/notifications/<int:notification_id>/read", "POST"): MEMBERS,
    ("/t/<int:topic_id>/follow", "POST"): MEMBERS,
    ("/t/<int:topic_id>/unfollow", "POST"): MEMBERS,
    ("/d/<slug>/pseudonym", "POST"): MEMBERS,
    ("/p/<int:post_id>/reveal", "GET"): MODERATORS,
    ("/p/<int:post_id>/reveal", "POST"): MODERATORS,
    ("/admin/reveals", "GET"): ADMINS,
    ("/d/<slug>/follow", "POST"): MEMBERS,
    ("/d/<slug>/unfollow", "POST"): MEMBERS,
    # The signed link in every mail of notifications: no login, the token is the proof.
    ("/mail/unsubscribe/<token>", "GET"): ALL,
    ("/mail/unsubscribe/<token>", "POST"): ALL,
    # The signed link in a moderation notice: no login (a suspended person has none).
    ("/notice/<token>", "GET"): ALL,
    ("/notice/<token>", "POST"): ALL,
    ("/moderation/appeals", "GET"): MODERATORS,
    # An appeal against the act of a third moderator: both others may decide.
    ("/moderation/appeals/<int:appeal_id>", "POST"): MODERATORS,
    ("/transparency", "GET"): ALL,
    ("/search", "GET"): ALL,
    ("/admin/mail", "GET"): ADMINS,
    ("/admin/mail/<int:message_id>/retry", "POST"): ADMINS,
    # A dialogue's report and its exports: its facilitators and the moderators (and every
    # reader of an archived dialogue whose admins allow it: tests/exports).
    ("/d/<slug>/report", "GET"): FACILITATORS,
    ("/d/<slug>/report.<format>", "GET"): FACILITATORS,
    ("/d/<slug>/report/<table>.csv", "GET"): FACILITATORS,
    ("/t/<int:topic_id>/report", "GET"): FACILITATORS,
    ("/t/<int:topic_id>/report.<format>", "GET"): FACILITATORS,
    ("/t/<int:topic_id>/report/<table>.csv", "GET"): FACILITATORS,
    # The read-only JSON API: what the pages show everyone, the same for everyone.
    ("/api/v1/", "GET"): ALL,
    ("/api/v1/dialogues", "GET"): ALL,
    ("/api/v1/dialogues/<slug>", "GET"): ALL,
    ("/api/v1/dialogues/<slug>/topics", "GET"): ALL,
    ("/api/v1/topics/<int:topic_id>", "GET"): ALL,
    ("/api/v1/topics/<int:topic_id>/posts", "GET"): ALL,
    ("/api/v1/posts/<int:post_id>", "GET"): ALL,
    ("/api/v1/moderation/log", "GET"): ALL,
    # Its readers too once archived, if an admin allowed it (tests/participation).
    ("/d/<slug>/participation", "GET"): FACILITATORS,
    ("/admin/profile-choices", "GET"): ADMINS,
    ("/admin/profile-choices/<kind>", "POST"): ADMINS,
    ("/admin/profile-choices/<int:choice_id>/rename", "POST"): ADMINS,
    ("/admin/profile-choices/<int:choice_id>/move", "POST"): ADMINS,
    ("/admin/profile-choices/<int:choice_id>/delete", "GET"): ADMINS,
    ("/admin/profile-choices/<int:choice_id>/delete", "POST"): ADMINS,
}


def routes(app) -> set[tuple[str, str]]:
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_a_rule(app):
    assert routes(app) == set(MATRIX)


@pytest.fixture
def world(app, dialogue_setup, create_user, create_dialogue, create_post):
    create_user("omar", display_name="Omar Saleh")
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    create_user("moses", role=Role.moderator, display_name="Moses Okello")
    create_dialogue("another", facilitators=["omar"])
    post = create_post(dialogue_setup.topic, by="amina")
    appealed = create_post(dialogue_setup.topic, by="amina", body="Hidden, then appealed.")
    with app.app_context():
        entry = hide_post(
            db.session.get(Post, appealed.id), by=find_by_username("moses"), reason="x"
        )
        appeal_id = file_appeal(entry, by=find_by_username("amina"), statement="Why?").id
        topic = db.session.get(Topic, dialogue_setup.topic.id)
        lucia = find_by_username("lucia")
        save_summary(topic, source="Topic summary", pinned=False, by=lucia)
        save_summary(topic.dialogue, source="Dialogue summary", pinned=False, by=lucia)
        question = db.session.get(PromptQuestion, dialogue_setup.topic.question_ids[0])
        save_conclusion(question, source="A conclusion", by=lucia)
        failed = enqueue(to="gone@example.org", subject="Welcome", text="Welcome.")
        failed.state, failed.last_error = MailState.failed, "550 5.1.1 No such mailbox"
        db.session.commit()
        failed_id = failed.id
        choice_id = add_choice(ChoiceKind.role, "Male ally", by=find_by_username("nadia")).id
        db.session.commit()
    return SimpleNamespace(
        topic=dialogue_setup.topic,
        post=post,
        message_id=failed_id,
        appeal_id=appeal_id,
        choice_id=choice_id,
    )


def url_of(rule: str, world) -> str:
    values = {
        "<path:filename>": "style.css",
        "<code>": "en",
        "<language>": "fr",
        "<token>": "a-link-that-expired",
        "<username>": "babar",  # not a facilitator: removing him changes nothing
        "<slug>": "men-as-allies",
        "<int:topic_id>": str(world.topic.id),
        "<int:question_id>": str(world.topic.question_ids[0]),
        "<int:post_id>": str(world.post.id),
        "<int:notification_id>": "1",  # somebody's: others get a 404, not a refusal
        "<int:message_id>": str(world.message_id),  # a failed message: the admin queues it again
        "<int:appeal_id>": str(world.appeal_id),
        "<format>": "json",
        "<table>": "posts",
        "<kind>": "role",
        "<int:choice_id>": str(world.choice_id),
    }
    if rule == "/t/<int:topic_id>/<slug>":
        values["<slug>"] = world.topic.slug
    for placeholder, value in values.items():
        rule = rule.replace(placeholder, value)
    return rule


def refused(response) -> bool:
    if response.status_code == 403:
        return True
    return response.status_code == 302 and "/login" in response.location.split("?")[0]


def test_who_may_do_what(app, world):
    checked = 0
    for role in ROLES:
        client = app.test_client()
        if role != ANONYMOUS:
            assert client.login(USERNAMES[role]).status_code == 302
        token = client.csrf_token("/login" if role == ANONYMOUS else "/code-of-conduct")
        # Logging out last keeps the session for the rest.
        for rule, method in sorted(MATRIX, key=lambda key: key[0].startswith("/logout")):
            url = url_of(rule, world)
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
            response.close()
            assert response.status_code < 500, (role, method, rule)
            allowed = role in MATRIX[rule, method]
            assert refused(response) != allowed, (role, method, rule, response.status_code)
            checked += 1
    assert checked == len(MATRIX) * len(ROLES)


def _lock(topic):
    lock_topic(topic, by=find_by_username("lucia"), reason="Done: see the summary.")


def _close(topic):
    topic.dialogue.state = DialogueState.closed


@pytest.mark.parametrize(
    ("freeze", "message"),
    [
        (_lock, "This topic is locked: its posts can no longer be edited."),
        (_close, "This dialogue is closed: its posts can no longer be edited."),
    ],
)
def test_a_post_is_frozen_once_its_topic_is_locked_or_its_dialogue_closed(
    app, world, freeze, message
):
    client = app.test_client()
    client.login("amina")
    edit = f"/p/{world.post.id}/edit"
    token = client.csrf_token(edit)
    with app.app_context():
        freeze(db.session.get(Topic, world.topic.id))
        db.session.commit()
    assert not client.get(world.topic.url).text.count(f'href="{edit}"')  # no link to it
    page = client.get(edit)
    assert page.status_code == 403 and message in page.text
    refused = client.post(edit, data={"csrf_token": token, "body": "Rewritten after the lock"})
    assert refused.status_code == 403
    assert message in refused.text and "Rewritten after the lock</textarea>" in refused.text
    with app.app_context():
        assert db.session.get(Post, world.post.id).body_source == "I agree."
