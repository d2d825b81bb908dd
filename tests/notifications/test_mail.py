"""Mail of notifications, to a real SMTP server: at once or in digests, threaded, unsubscribable."""

import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from forum.accounts.models import MailMode, User
from forum.accounts.services import change_email, find_by_username
from forum.clock import utcnow
from forum.extensions import db
from forum.mail import delivery
from forum.moderation.services import hide_post, lock_topic
from forum.notifications.models import Follow, Notification
from forum.notifications.services import follow
from forum.posts.models import Post
from forum.topics.models import Topic


def settle(app, *usernames: str, mode: MailMode = MailMode.instant, confirmed: bool = True):
    """Give people a mail setting and (un)confirmed addresses."""
    with app.app_context():
        for username in usernames:
            person = find_by_username(username)
            person.mail_mode = mode
            person.email_confirmed_at = utcnow() if confirmed else None
        db.session.commit()


def follows_topic(app, topic, *usernames: str) -> None:
    with app.app_context():
        for username in usernames:
            follow(db.session.get(Topic, topic.id), by=find_by_username(username))
        db.session.commit()


def work(app) -> None:
    """What `forum mail worker --once` does: spread, write the mail, send it."""
    with app.app_context():
        delivery.run_worker(once=True)


def mails_to(smtp, address: str) -> list:
    return [mail for mail in smtp.received if mail["To"] == address]


def text_of(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def html_of(mail) -> str:
    return mail.get_body(("html",)).get_content()


@pytest.fixture
def topic(app, dialogue_setup):
    """The setup's topic, followed by Amina and Babar, who want mail at once."""
    settle(app, "amina", "babar", "lucia", mode=MailMode.instant)
    follows_topic(app, dialogue_setup.topic, "amina", "babar")
    return dialogue_setup.topic


def test_a_reply_mails_each_follower_once_threaded_under_the_topic(app, smtp, topic, create_post):
    first = create_post(topic, by="amina", body="Listening *first*.", subject="On listening")
    create_post(topic, by="babar", body="Then **acting**.", parent_id=first.id)
    work(app)
    work(app)  # a second pass sends nothing again

    # Babar hears of Amina's post; Amina of Babar's reply (as a reply, not a second notice).
    [to_babar] = mails_to(smtp, "babar@example.org")
    [to_amina] = mails_to(smtp, "amina@example.org")
    assert to_babar["Subject"] == "Re: What support do you need?"
    assert "Amina Diallo posted in “What support do you need?”" in text_of(to_babar)
    assert "On listening" in text_of(to_babar)
    assert "Listening *first*." in text_of(to_babar)  # the text, as written
    assert "<em>first</em>" in html_of(to_babar)  # and as shown
    assert f"/p/{first.id}" in text_of(to_babar)
    assert "Babar Khan replied to your post" in text_of(to_amina)

    # Every mail about the topic answers one Message-ID: mail clients put them in one thread.
    with app.app_context():
        from forum.mail.services import mail_domain

        thread = f"<topic-{topic.id}@{mail_domain()}>"
    for mail in (to_babar, to_amina):
        assert mail["In-Reply-To"] == thread
        assert mail["References"] == thread
        assert mail["Auto-Submitted"] == "auto-generated"
        assert mail["List-Id"].endswith(">")
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail["List-Unsubscribe"].startswith("<http")
        # Nobody's address is shown to anybody else.
        assert "example.org" not in text_of(mail).replace(mail["To"], "")
        assert "example.org" not in html_of(mail).replace(mail["To"], "")
    assert to_babar["Message-ID"] != to_amina["Message-ID"]


def test_lucia_who_opened_the_topic_hears_of_both_posts(app, smtp, topic, create_post):
    create_post(topic, by="amina")
    create_post(topic, by="babar")
    work(app)
    assert len(mails_to(smtp, "lucia@example.org")) == 2
    assert {mail["References"] for mail in smtp.received} == {
        smtp.received[0]["References"]
    }  # one thread


def test_no_mail_without_a_confirmed_address_or_with_no_mail_wanted(app, smtp, topic, create_post):
    settle(app, "amina", mode=MailMode.instant, confirmed=False)
    settle(app, "babar", mode=MailMode.none)
    create_post(topic, by="lucia")
    work(app)
    assert smtp.received == []
    with app.app_context():  # the notifications stay in the forum, and are not kept for mail
        rows = db.session.execute(select(Notification.user_id, Notification.mail_pending)).all()
    assert len(rows) == 2
    assert not any(pending for _, pending in rows)
    # Confirming later does not bring old notifications by mail.
    settle(app, "amina", mode=MailMode.instant)
    work(app)
    assert smtp.received == []


def test_a_post_hidden_before_its_mail_goes_out_is_not_mailed(app, smtp, topic, create_post):
    post = create_post(topic, by="lucia", body="Something to hide", subject="Secret subject")
    with app.app_context():
        grace = find_by_username("nadia")
        hide_post(db.session.get(Post, post.id), by=grace, reason="Personal data.")
        db.session.commit()
    work(app)
    for mail in smtp.received:  # Lucía hears her post was hidden, and why; no follower gets it
        assert "Something to hide" not in mail.as_string()
        assert "Secret subject" not in mail.as_string()
    [to_lucia] = smtp.received
    assert to_lucia["To"] == "lucia@example.org"
    assert "Nadia Haddad hid your post" in text_of(to_lucia)
    assert "Personal data." in text_of(to_lucia)


def test_mail_speaks_the_recipients_language(app, smtp, topic, create_post):
    with app.app_context():
        find_by_username("babar").locale = "fr"
        db.session.commit()
    create_post(topic, by="amina", body="Bonjour.")
    work(app)
    [mail] = mails_to(smtp, "babar@example.org")
    assert mail["Content-Language"] == "fr"
    assert "Amina Diallo a écrit dans « What support do you need? »" in text_of(mail)
    assert "Le lire sur Dialogue Forum" in text_of(mail)
    assert "Le lire sur Dialogue Forum" in html_of(mail)


def unsubscribe_link(mail) -> str:
    url = mail["List-Unsubscribe"].strip("<>")
    return urlsplit(url).path


def test_one_click_unsubscribe_works_without_logging_in(app, smtp, topic, create_post):
    create_post(topic, by="amina")
    work(app)
    [mail] = mails_to(smtp, "babar@example.org")
    link = unsubscribe_link(mail)

    client = app.test_client()  # no cookie, no login, no CSRF token: as a mail client posts it
    page = client.get(link)  # a link scanner opening it changes nothing
    assert page.status_code == 200
    assert "Stop mail of notifications" in page.text
    with app.app_context():
        assert find_by_username("babar").mail_mode is MailMode.instant

    response = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "will mail you no more notifications" in response.text
    with app.app_context():
        assert find_by_username("babar").mail_mode is MailMode.none

    create_post(topic, by="amina")
    work(app)
    assert len(mails_to(smtp, "babar@example.org")) == 1  # none since
    with app.app_context():  # but the forum still tells him
        babar = find_by_username("babar")
        assert (
            db.session.scalar(select(db.func.count()).where(Notification.user_id == babar.id)) == 2
        )


@pytest.mark.parametrize("tamper", ["forged", "cut", "other address"])
def test_a_bad_unsubscribe_link_changes_nothing(app, smtp, topic, create_post, tamper):
    create_post(topic, by="amina")
    work(app)
    [mail] = mails_to(smtp, "babar@example.org")
    link = unsubscribe_link(mail)
    if tamper == "forged":
        link = "/mail/unsubscribe/eyJ1c2VyIjoyfQ.forged"
    elif tamper == "cut":
        link = link[:-6]
    else:
        with app.app_context():
            change_email(find_by_username("babar"), "babar@example.net", language="en")
            db.session.commit()
    response = app.test_client().post(link)
    assert response.status_code == 404
    assert "This link does not work" in response.text
    with app.app_context():
        assert find_by_username("babar").mail_mode is MailMode.instant


def age(app, username: str, days: int) -> None:
    """Make a person's pending notifications older, as if days had passed."""
    with app.app_context():
        person = find_by_username(username)
        for notification in db.session.scalars(
            select(Notification).where(Notification.user_id == person.id)
        ):
            notification.created_at -= timedelta(days=days)
        if person.digest_sent_at:
            person.digest_sent_at -= timedelta(days=days)
        db.session.commit()


def test_a_daily_digest_groups_new_posts_by_dialogue_and_topic(
    app, smtp, dialogue_setup, create_dialogue, create_topic, create_post
):
    settle(app, "babar", mode=MailMode.daily)
    other = create_dialogue("listening-circles", title="Listening circles", facilitators=["lucia"])
    second = create_topic(other, by="lucia", title="Who is heard?")
    first = dialogue_setup.topic
    follows_topic(app, first, "babar")
    follows_topic(app, second, "babar")
    with app.app_context():
        [question, *_] = db.session.get(Topic, first.id).questions
        question_id, question_text = question.id, question.text
    opening = create_post(
        first, by="amina", subject="Childcare", body="Childcare makes it possible.",
        prompt_id=question_id,
    )  # fmt: skip
    create_post(first, by="lucia", subject="Transport", body="And transport. " * 60)
    hidden = create_post(first, by="amina", subject="Phone number", body="Call me on 555-0100")
    create_post(second, by="amina", subject="Quiet voices", body="Those who never post.")
    with app.app_context():
        nadia = find_by_username("nadia")
        hide_post(db.session.get(Post, hidden.id), by=nadia, reason="Personal data.")
        lock_topic(db.session.get(Topic, second.id), by=nadia, reason="Paused for a week.")
        db.session.commit()

    work(app)
    assert mails_to(smtp, "babar@example.org") == []  # a day has not passed

    age(app, "babar", days=1)
    work(app)
    work(app)
    [digest] = mails_to(smtp, "babar@example.org")
    text = text_of(digest)
    assert digest["Subject"] == "Your daily digest from Dialogue Forum"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Grouped: each dialogue, its topics, their posts in order.
    order = ["Men as allies", "What support do you need?", "Childcare", "Transport",
             "Listening circles", "Who is heard?", "Quiet voices"]  # fmt: skip
    positions = [text.index(title) for title in order]
    assert positions == sorted(positions)
    assert "by Amina Diallo" in text
    assert f"In answer to: {question_text}" in text
    assert "Childcare makes it possible." in text
    assert "And transport. " * 10 in text and "And transport. " * 60 not in text  # an excerpt
    assert f"/p/{opening.id}" in text  # the first new post of the topic
    assert "Paused for a week." in text  # the lock, with its reason
    # The hidden post is left out, subject and text.
    assert "Phone number" not in digest.as_string()
    assert "555-0100" not in digest.as_string()
    assert "<strong>Childcare</strong>" in html_of(digest)

    # The next digest waits a day, and holds only what is new.
    create_post(first, by="amina", subject="Evenings", body="Meetings in the evening.")
    work(app)
    assert len(mails_to(smtp, "babar@example.org")) == 1
    age(app, "babar", days=1)
    work(app)
    [_, second_digest] = mails_to(smtp, "babar@example.org")
    assert "Evenings" in text_of(second_digest)
    assert "Childcare" not in text_of(second_digest)


def test_a_weekly_digest_waits_a_week(app, smtp, topic, create_post):
    settle(app, "babar", mode=MailMode.weekly)
    create_post(topic, by="amina", subject="Weekly news")
    work(app)
    age(app, "babar", days=6)
    work(app)
    assert mails_to(smtp, "babar@example.org") == []
    age(app, "babar", days=1)
    work(app)
    [digest] = mails_to(smtp, "babar@example.org")
    assert digest["Subject"] == "Your weekly digest from Dialogue Forum"
    assert "Weekly news" in text_of(digest)


def add_followers(topic_id: int, count: int) -> None:
    """count people p0, p1 ... with a confirmed address and instant mail, following the topic."""
    people = [
        User(
            username=f"p{n}", username_key=f"p{n}", email=f"p{n}@example.org",
            password_hash="x", display_name=f"P {n}", mail_mode=MailMode.instant,
            email_confirmed_at=utcnow(),
        )
        for n in range(count)
    ]  # fmt: skip
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(Follow(user_id=person.id, topic_id=topic_id) for person in people)


def test_a_reply_costs_its_request_the_same_for_no_follower_or_many(
    app, client, dialogue_setup, create_user, create_topic, queries
):
    lonely = create_topic(dialogue_setup.dialogue, by="lucia", title="Nobody follows this")
    crowded = dialogue_setup.topic
    with app.app_context():
        add_followers(crowded.id, 300)
        lucia = find_by_username("lucia")
        db.session.execute(
            Follow.__table__.delete().where(
                Follow.user_id == lucia.id, Follow.topic_id == lonely.id
            )
        )
        db.session.commit()
    client.login("amina")
    app.config["MAIL_URL"] = "smtp://127.0.0.1:9"  # a worker's job: nothing done in the request

    def reply(topic) -> int:
        page = f"/t/{topic.id}/reply"
        token = client.csrf_token(page)
        with queries() as log:
            response = client.post(page, data={"csrf_token": token, "body": "A thought."})
        assert response.status_code == 302
        return len(log.statements)

    reply(lonely), reply(crowded)  # both followed by Amina now
    assert reply(crowded) == reply(lonely)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Notification)) == 0
    app.config["MAIL_URL"] = ""
    work(app)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Notification)) >= 600


def test_two_workers_on_postgresql_mail_each_notification_once(
    app, smtp, dialogue_setup, create_post
):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("several workers run on PostgreSQL only")
        add_followers(dialogue_setup.topic.id, 80)
        db.session.commit()
    for _ in range(3):
        create_post(dialogue_setup.topic, by="amina")

    def worker():
        with app.app_context():
            delivery.run_worker(once=True, batch=5)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    followers = [mail for mail in smtp.received if mail["To"].startswith("p")]
    assert len(followers) == 240  # 80 followers, 3 posts: each mailed once
    assert len({mail["Message-ID"] for mail in followers}) == 240
    assert {followers.count(mail) for mail in followers} == {1}
    per_person = {}
    for mail in followers:
        per_person[mail["To"]] = per_person.get(mail["To"], 0) + 1
    assert set(per_person.values()) == {3}
