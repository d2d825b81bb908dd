"""Notice and appeal: the person an act concerns is told the rule and the reason, in the forum
and by mail, appeals once, and a moderator other than the one who acted decides."""

import re

import pytest
from sqlalchemy import select

from forum.accounts.models import MailMode, Role
from forum.accounts.services import find_by_username
from forum.clock import utcnow
from forum.extensions import db
from forum.mail import delivery
from forum.mail.models import OutboxMessage
from forum.moderation.models import Action, Appeal, LogEntry, Outcome
from forum.notifications.models import Kind, Notification
from forum.posts.models import Post
from forum.topics.models import Topic


@pytest.fixture
def forum(app, dialogue_setup, create_user, create_post):
    """A moderator (grace) besides the admin (nadia); amina's post; confirmed addresses, amina
    on a weekly digest (a notice comes at once all the same)."""
    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    post = create_post(dialogue_setup.topic, by="amina", body="A post that will be hidden.")
    with app.app_context():
        for username in ("amina", "babar", "lucia"):
            find_by_username(username).email_confirmed_at = utcnow()
        find_by_username("amina").mail_mode = MailMode.weekly
        db.session.commit()
    dialogue_setup.post = post
    return dialogue_setup


def mails_to(app, address: str) -> list[OutboxMessage]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.recipient == address)
                .order_by(OutboxMessage.id)
            )
        )


def link_in(mail: OutboxMessage) -> str:
    [link] = re.findall(r"https?://\S+/notice/\S+", mail.text)
    return link.split("localhost", 1)[1]


def log_out(client) -> None:
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})


def hide(client, post_id: int) -> None:
    client.login("grace")
    response = client.submit(
        f"/p/{post_id}/hide", {"rule": "personal_information", "reason": "It names her street."}
    )
    assert response.status_code == 302
    log_out(client)


def test_the_hide_form_asks_for_the_rule_and_keeps_the_reason(app, client, forum):
    client.login("grace")
    page = client.submit(f"/p/{forum.post.id}/hide", {"reason": "It names her street."})
    assert page.status_code == 422
    assert "Choose the rule of the code of conduct that was broken." in page.text
    assert "It names her street.</textarea>" in page.text
    forged = client.submit(f"/p/{forum.post.id}/hide", {"rule": "rudeness", "reason": "x"})
    assert forged.status_code == 422
    with app.app_context():
        assert db.session.get(Post, forum.post.id).hidden_at is None


def test_a_hidden_posts_author_is_told_the_rule_and_the_reason_and_appeals_once(app, client, forum):
    hide(client, forum.post.id)
    # In the log: the rule, by name.
    log = client.get("/moderation/log").text
    assert "Rule of the code of conduct: Sharing personal information without consent" in log

    # By mail, at once though amina has a weekly digest.
    [mail] = mails_to(app, "amina@example.org")
    assert mail.subject == "Moderation notice: your post is hidden"
    assert "Sharing personal information without consent" in mail.text
    assert "It names her street." in mail.text and "appeal" in mail.text
    assert "A post that will be hidden." not in mail.text  # a hidden post's words stay home
    link = link_in(mail)
    with app.app_context():
        delivery.drain()
    assert len(mails_to(app, "amina@example.org")) == 1  # not again in a digest

    # In the forum: the notice, its rule and the way to appeal.
    client.login("amina")
    page = client.get("/notifications").text
    assert "Grace Mutesi hid your post" in page
    assert "Sharing personal information without consent" in page
    notice = re.search(r'href="(/notice/[^"]+)"', page).group(1)
    assert notice == link

    empty = client.submit(notice, {"statement": "  "})
    assert empty.status_code == 422 and "Say why the decision should be reversed." in empty.text
    long = "My street is not named. " * 100
    too_long = client.submit(notice, {"statement": long})
    assert too_long.status_code == 422 and long.strip() in too_long.text  # the text is kept
    sent = client.submit(notice, {"statement": "The street is a public square."})
    assert sent.status_code == 302
    page = client.get(notice).text
    assert "The street is a public square." in page and "Send my appeal" not in page
    again = client.submit(notice, {"statement": "Again."}, page=notice)
    assert again.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(Appeal.statement)) == "The street is a public square."
    log = client.get("/moderation/log").text
    assert "Decision appealed" in log and "public square" not in log  # the statement is private


def test_another_moderator_decides_and_reversing_restores_the_post(app, client, forum):
    hide(client, forum.post.id)
    client.login("amina")
    notice = link_in(mails_to(app, "amina@example.org")[0])
    client.submit(notice, {"statement": "The street is a public square."})
    log_out(client)
    with app.app_context():
        appeal_id = db.session.scalar(select(Appeal.id))

    client.login("grace")  # who hid it: sees the appeal, cannot decide it
    queue = client.get("/moderation/appeals").text
    assert "The street is a public square." in queue
    assert "another moderator decides" in queue and "Reverse the decision" not in queue
    token = client.csrf_token("/moderation/appeals")
    refused = client.post(
        f"/moderation/appeals/{appeal_id}",
        data={"csrf_token": token, "reason": "Mine.", "reverse": "1"},
    )
    assert refused.status_code == 403
    log_out(client)

    client.login("nadia")
    assert "Reverse the decision" in client.get("/moderation/appeals").text
    decided = client.submit(
        f"/moderation/appeals/{appeal_id}",
        {"reason": "A public square is not an address.", "reverse": "Reverse the decision"},
        page="/moderation/appeals",
        follow_redirects=True,
    )
    assert "No open appeals." in decided.text
    with app.app_context():
        assert db.session.get(Post, forum.post.id).hidden_at is None
        appeal = db.session.get(Appeal, appeal_id)
        assert appeal.outcome is Outcome.reversed and appeal.decided_by.username == "nadia"
        actions = db.session.scalars(select(LogEntry.action).order_by(LogEntry.id)).all()
        assert actions == [Action.hide, Action.appeal, Action.restore, Action.appeal_reversed]
    log = client.get("/moderation/log").text
    assert "Appeal decided: reversed" in log and "A public square is not an address." in log
    log_out(client)

    decision = mails_to(app, "amina@example.org")[-1]
    assert decision.subject == "Your appeal: the decision is reversed"
    assert "A public square is not an address." in decision.text
    client.login("amina")
    page = client.get("/notifications").text
    assert "Nadia Haddad decided on your appeal: the decision is reversed" in page
    assert "Reversed: the decision is undone." in client.get(notice).text


def test_a_suspended_person_reads_the_notice_and_appeals_without_logging_in(app, client, forum):
    client.login("grace")
    client.submit("/u/babar/suspend", {"rule": "harassment", "reason": "Repeated insults."})
    log_out(client)
    [mail] = mails_to(app, "babar@example.org")
    assert mail.subject == "Moderation notice: your account is suspended"
    assert "Harassment or abuse" in mail.text and "no need to log in" in mail.text
    notice = link_in(mail)
    assert client.login("babar").status_code != 302  # suspended: no way in

    page = client.get(notice)
    assert page.status_code == 200, (notice, mail.text)
    assert "Harassment or abuse" in page.text and "Repeated insults." in page.text
    assert client.submit(notice, {"statement": "It was a quote."}).status_code == 302
    assert client.get(notice[:-3] + "abc").status_code == 404  # a forged link

    client.login("nadia")
    with app.app_context():
        appeal_id = db.session.scalar(select(Appeal.id))
    client.submit(
        f"/moderation/appeals/{appeal_id}",
        {"reason": "The insults were his own.", "uphold": "Uphold the decision"},
        page="/moderation/appeals",
    )
    with app.app_context():
        assert find_by_username("babar").is_suspended
    decision = mails_to(app, "babar@example.org")[-1]
    assert decision.subject == "Your appeal: the decision is upheld"
    assert "The insults were his own." in client.get(link_in(decision)).text
    assert "Appeal decided: upheld" in client.get("/moderation/log").text


def test_a_locked_topics_author_gets_the_notice_once_and_a_reversal_unlocks(app, client, forum):
    client.login("grace")
    client.submit(f"/t/{forum.topic.id}/lock", {"rule": "off_topic", "reason": "Drifted away."})
    log_out(client)
    with app.app_context():
        delivery.drain()  # spreads the lock to the topic's followers, lucia among them
        notices = db.session.scalars(
            select(Notification).where(
                Notification.user_id == forum.people.lucia.id, Notification.kind == Kind.locked
            )
        ).all()
        assert len(notices) == 1 and notices[0].entry_id is not None
    [mail] = mails_to(app, "lucia@example.org")
    assert "Off-topic posts that disrupt a discussion" in mail.text
    client.login("lucia")
    client.submit(link_in(mail), {"statement": "The topic is on the dialogue's theme."})
    log_out(client)
    client.login("nadia")
    with app.app_context():
        appeal_id = db.session.scalar(select(Appeal.id))
    client.submit(
        f"/moderation/appeals/{appeal_id}",
        {"reason": "It is on topic.", "reverse": "Reverse the decision"},
        page="/moderation/appeals",
    )
    with app.app_context():
        assert db.session.get(Topic, forum.topic.id).locked_at is None


def test_only_the_person_concerned_appeals(app, forum):
    from forum.moderation import appeals
    from forum.moderation.services import ModerationError, hide_post

    with app.app_context():
        post = db.session.get(Post, forum.post.id)
        entry = hide_post(post, by=find_by_username("grace"), reason="x", rule="spam")
        with pytest.raises(ModerationError):
            appeals.file_appeal(entry, by=find_by_username("babar"), statement="Not mine.")
        # A notice link names its person: babar's link to amina's notice leads nowhere.
        token = appeals.notice_token(entry.id, find_by_username("babar").id)
        assert appeals.notice_for_token(token) is None
