"""Following topics and dialogues, and the notifications people get of what concerns them."""

import pytest
from sqlalchemy import func, select

from forum.accounts.models import MailMode, User
from forum.accounts.services import find_by_username
from forum.extensions import db
from forum.mail.delivery import drain
from forum.moderation import reports
from forum.moderation.models import ReportReason
from forum.moderation.services import hide_post, lock_topic, restore_post, unlock_topic
from forum.notifications.models import Follow, Kind, Notification
from forum.notifications.services import follow
from forum.posts.models import Post
from forum.summaries.services import save_summary
from forum.topics.models import Topic


def kinds(app, username: str) -> list[Kind]:
    """The kinds of a person's notifications, oldest first, once the mail worker has spread the
    acts' fan-outs to followers."""
    with app.app_context():
        drain()
        person = find_by_username(username)
        return list(
            db.session.scalars(
                select(Notification.kind)
                .where(Notification.user_id == person.id)
                .order_by(Notification.created_at, Notification.id)
            )
        )


def follows(app, username: str) -> list[tuple]:
    with app.app_context():
        person = find_by_username(username)
        return db.session.execute(
            select(Follow.topic_id, Follow.dialogue_id).where(Follow.user_id == person.id)
        ).all()


def topic_of(topic):
    return db.session.get(Topic, topic.id)


def test_a_reply_notifies_the_author_of_the_post_and_the_topics_followers(
    app, dialogue_setup, create_post
):
    topic = dialogue_setup.topic
    first = create_post(topic, by="amina", body="My view.")
    create_post(topic, by="babar", body="I disagree.", parent_id=first.id)
    assert kinds(app, "amina") == [Kind.reply]
    # Lucía opened the topic, so she follows it; she hears of both posts.
    assert kinds(app, "lucia") == [Kind.new_post, Kind.new_post]
    assert kinds(app, "babar") == []  # never of one's own act


def test_a_quote_tells_the_author_their_post_was_quoted(app, dialogue_setup, create_post):
    first = create_post(dialogue_setup.topic, by="amina", body="Listening matters.")
    create_post(
        dialogue_setup.topic,
        by="babar",
        body="> **Amina Diallo wrote:**\n>\n> Listening matters.\n\nYes.",
        parent_id=first.id,
    )
    assert kinds(app, "amina") == [Kind.quote]


def test_writing_in_a_topic_follows_it_unless_the_person_said_no(app, dialogue_setup, create_post):
    topic = dialogue_setup.topic
    with app.app_context():
        db.session.get(User, dialogue_setup.people.babar.id).follows_own_topics = False
        db.session.commit()
    create_post(topic, by="amina")
    create_post(topic, by="babar")
    assert follows(app, "amina") == [(topic.id, None)]
    assert follows(app, "babar") == []
    create_post(topic, by="amina")  # following again is no error and no second row
    assert follows(app, "amina") == [(topic.id, None)]
    assert kinds(app, "amina") == [Kind.new_post]


def test_a_new_topic_notifies_the_dialogues_followers(app, dialogue_setup, create_topic):
    with app.app_context():
        from forum.dialogues.models import Dialogue

        dialogue = db.session.get(Dialogue, dialogue_setup.dialogue.id)
        follow(dialogue, by=find_by_username("amina"))
        db.session.commit()
    create_topic(dialogue_setup.dialogue, by="lucia", title="Who listens?")
    assert kinds(app, "amina") == [Kind.new_topic]
    assert kinds(app, "lucia") == []


def test_locks_summaries_hides_and_reports_notify_who_they_concern(
    app, dialogue_setup, create_post, create_user
):
    from forum.accounts.models import Role

    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    topic = dialogue_setup.topic
    post = create_post(topic, by="amina", body="Cite me.")
    with app.app_context():
        babar = find_by_username("babar")
        follow(topic_of(topic), by=babar)
        reports.report_post(db.session.get(Post, post.id), by=babar, reason=ReportReason.spam)
        db.session.commit()
    with app.app_context():
        lucia, grace = find_by_username("lucia"), find_by_username("grace")
        lock_topic(topic_of(topic), by=lucia, reason="Time to read.")
        unlock_topic(topic_of(topic), by=lucia)
        save_summary(topic_of(topic), source=f"See #p{post.id}.", pinned=True, by=lucia)
        save_summary(topic_of(topic), source=f"See #p{post.id} again.", pinned=True, by=lucia)
        reports.resolve_reports(db.session.get(Post, post.id), by=grace, hide=True, note="Spam.")
        restore_post(db.session.get(Post, post.id), by=grace, reason="On appeal.")
        db.session.commit()
    assert kinds(app, "babar") == [
        Kind.locked, Kind.unlocked, Kind.summarised, Kind.summarised, Kind.report_upheld
    ]  # fmt: skip
    # Cited once (not again when the summary is rewritten) and not also told of that summary;
    # told of the rewritten one; then hidden and restored.
    assert kinds(app, "amina") == [
        Kind.locked, Kind.unlocked, Kind.cited, Kind.summarised, Kind.hidden, Kind.restored,
    ]  # fmt: skip
    assert kinds(app, "lucia") == [Kind.new_post]  # of her own acts, none
    with app.app_context():
        reasons = db.session.scalars(
            select(Notification.reason).where(Notification.kind.in_([Kind.hidden, Kind.restored]))
        ).all()
    assert reasons == ["Spam.", "On appeal."]


def test_the_page_lists_newest_first_shows_reasons_and_marks_read(
    app, client, dialogue_setup, create_post, create_user
):
    from forum.accounts.models import Role

    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    post = create_post(dialogue_setup.topic, by="amina", body="Mine.")
    create_post(dialogue_setup.topic, by="babar", body="Reply.", parent_id=post.id)
    with app.app_context():
        hide_post(db.session.get(Post, post.id), by=find_by_username("grace"), reason="Off topic.")
        db.session.commit()
    client.login("amina")
    page = client.get("/notifications").text
    assert "Notifications (2 unread)" in page
    hid = page.index("Grace Mutesi hid your post")
    replied = page.index("Babar Khan replied to your post")
    assert hid < replied and "Off topic." in page
    assert page.count("Mark read") == 2
    with app.app_context():
        first = db.session.scalar(
            select(func.min(Notification.id)).where(Notification.kind == Kind.reply)
        )
    assert client.submit(f"/notifications/{first}/read", page="/notifications").status_code == 302
    assert "Notifications (1 unread)" in client.get("/").text
    client.submit("/notifications/read", page="/notifications")
    page = client.get("/notifications").text
    assert "unread" not in page.split("<main")[0] and "Mark read" not in page


def test_someone_elses_notification_cannot_be_marked(app, client, dialogue_setup, create_post):
    post = create_post(dialogue_setup.topic, by="amina")
    create_post(dialogue_setup.topic, by="babar", parent_id=post.id)
    with app.app_context():
        theirs = db.session.scalar(select(Notification.id).where(Notification.kind == Kind.reply))
    client.login("babar")
    assert client.submit(f"/notifications/{theirs}/read", page="/").status_code == 404
    assert client.submit("/notifications/999999/read", page="/").status_code == 404
    with app.app_context():
        assert db.session.get(Notification, theirs).read_at is None


def test_a_post_hidden_after_its_notification_says_nothing_to_readers(
    app, client, dialogue_setup, create_post, create_user
):
    from forum.accounts.models import Role

    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    post = create_post(dialogue_setup.topic, by="amina")
    create_post(
        dialogue_setup.topic,
        by="babar",
        subject="Secret subject",
        body="Secret words of abuse.",
        parent_id=post.id,
    )
    client.login("amina")
    assert "Secret words" in client.get("/notifications").text
    with app.app_context():
        hidden = db.session.scalar(select(Post).where(Post.subject == "Secret subject"))
        hide_post(hidden, by=find_by_username("grace"), reason="Abuse.")
        db.session.commit()
    page = client.get("/notifications").text
    assert "Secret" not in page and "This post is hidden." in page


def test_a_report_handled_never_names_the_reporter(
    app, client, dialogue_setup, create_post, create_user
):
    from forum.accounts.models import Role

    create_user("grace", role=Role.moderator, display_name="Grace Mutesi")
    post = create_post(dialogue_setup.topic, by="amina")
    with app.app_context():
        the_post = db.session.get(Post, post.id)
        reports.report_post(the_post, by=find_by_username("babar"), reason=ReportReason.spam)
        reports.resolve_reports(the_post, by=find_by_username("grace"), hide=True, note="Spam.")
        db.session.commit()
    client.login("amina")
    page = client.get("/notifications").text
    assert "Grace Mutesi hid your post" in page and "Babar" not in page
    reporter = app.test_client()
    reporter.login("babar")
    assert "Your report on a post" in reporter.get("/notifications").text


def test_follow_and_unfollow_buttons(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("babar")
    assert ">Follow</button>" in client.get(topic.url).text
    response = client.submit(f"/t/{topic.id}/follow", page=topic.url)
    assert response.status_code == 302
    assert ">Unfollow</button>" in client.get(topic.url).text
    assert follows(app, "babar") == [(topic.id, None)]
    client.submit(f"/t/{topic.id}/unfollow", page=topic.url)
    assert follows(app, "babar") == []
    client.submit("/d/men-as-allies/follow", page="/d/men-as-allies")
    assert ">Unfollow</button>" in client.get("/d/men-as-allies").text
    assert follows(app, "babar") == [(None, dialogue_setup.dialogue.id)]


@pytest.mark.parametrize("url", ["/t/999999/follow", "/d/no-such-dialogue/follow"])
def test_following_what_does_not_exist_is_404_and_changes_nothing(app, client, dialogue_setup, url):
    client.login("babar")
    assert client.submit(url, page="/").status_code == 404
    assert follows(app, "babar") == []


def test_the_header_count_costs_no_query(app, client, dialogue_setup, create_post, queries):
    client.login("amina")
    client.get("/")
    with queries() as log:
        client.get("/")
    before = len(log.statements)
    post = create_post(dialogue_setup.topic, by="amina")
    create_post(dialogue_setup.topic, by="babar", parent_id=post.id)
    with queries() as log:
        page = client.get("/").text
    assert "Notifications (1 unread)" in page
    assert len(log.statements) == before


def test_the_mail_setting_is_kept(app, client, dialogue_setup):
    client.login("amina")
    page = client.get("/profile").text
    assert '<option selected value="daily">' in page
    client.submit(
        "/profile",
        {"display_name": "Amina Diallo", "mail_mode": "weekly", "timezone": "", "country": ""},
        page="/profile",
    )
    with app.app_context():
        amina = find_by_username("amina")
        assert amina.mail_mode is MailMode.weekly and amina.follows_own_topics is False


def test_a_reply_costs_the_same_statements_for_1_or_50_followers(
    app, client, dialogue_setup, create_topic, queries
):
    one = dialogue_setup.topic
    fifty = create_topic(dialogue_setup.dialogue, title="A followed topic")
    with app.app_context():
        for i in range(50):
            person = User(
                username=f"f{i}", username_key=f"f{i}", email=f"f{i}@example.org",
                password_hash="x", display_name=f"F{i}",
            )  # fmt: skip
            db.session.add(person)
            db.session.flush()
            follow(topic_of(fifty), by=person)
        db.session.commit()
    client.login("babar")

    def reply(topic, body):
        url = f"/t/{topic.id}/reply"
        token = client.csrf_token(url)
        with queries() as log:
            response = client.post(url, data={"csrf_token": token, "body": body})
        assert response.status_code == 302
        return len(log.statements)

    reply(one, "Warming up: Babar follows both topics from now on.")
    reply(fifty, "Warming up.")
    assert reply(one, "Hello.") == reply(fifty, "Hello all.")
    with app.app_context():
        told = db.session.scalar(
            select(func.count()).where(
                Notification.kind == Kind.new_post, Notification.topic_id == fifty.id
            )
        )
    assert told == 2 * 51  # fifty followers and Lucía, who opened it; not Babar
