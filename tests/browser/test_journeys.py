"""The dialogue's journeys, done in Chromium with the mouse and keyboard as a person would.

Each runs three times: desktop, a 360 x 740 phone (every page checked for sideways scrolling and
screenshotted) and JavaScript off (see conftest.py).
"""

import csv
import io
import re
import unicodedata
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import feedparser
from playwright.sync_api import expect
from pypdf import PdfReader

from forum import text
from forum.accounts import services as accounts
from forum.accounts.models import MailMode
from forum.clock import utcnow
from forum.conclusions.models import Conclusion
from forum.dialogues import services as dialogues
from forum.extensions import db
from forum.notifications.services import follow
from forum.posts import services as posts
from forum.summaries.services import save_summary
from forum.topics import services as topics
from tests.browser.conftest import PASSWORD


def test_register_accept_the_code_log_in_and_switch_language(people, cast):
    visitor = people("visitor")
    page = visitor.page
    username = f"newcomer-{cast.tag}"
    visitor.go("/")
    page.get_by_role("link", name="Register").first.click()
    visitor.looked()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Display name").fill("Nouvelle Venue")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator("main")).to_contain_text("Please accept the code of conduct")
    expect(page.get_by_label("Username")).to_have_value(username)  # nothing typed is lost
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("I have read the code of conduct and will follow it.").check()
    page.get_by_role("button", name="Create my account").click()
    visitor.looked()
    # The same answer whatever the address: the newcomer logs in, their username filled in.
    expect(page.locator("main")).to_contain_text("yours is ready: log in below")
    expect(page.get_by_label("Username or email")).to_have_value(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    visitor.log_in(username)
    expect(page.get_by_role("link", name="Nouvelle Venue")).to_be_visible()
    page.get_by_role("button", name="Français").click()
    visitor.looked()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def mailed_link(forum, address: str) -> str:
    """The link in the newest mail to address, as the one-command forum writes it (.eml)."""
    folder = Path(forum.app.instance_path) / "mail"
    mails = [message_from_bytes(eml.read_bytes(), policy=default) for eml in folder.glob("*.eml")]
    [mail] = [mail for mail in mails if mail["To"] == address]
    [link] = re.findall(r"https?://\S+", mail.get_body(("plain",)).get_content())
    return link


def test_a_forgotten_password_is_replaced_through_the_mailed_link(people, cast, forum):
    amina = people("amina")
    page = amina.page
    address = f"amina-{cast.tag}@example.org"
    new_password = "a new password from the mail"
    amina.go("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    amina.looked()
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Mail me a link").click()
    amina.looked()
    expect(page.locator("main")).to_contain_text("a link to choose a new password is on its way")

    amina.go(mailed_link(forum, address))
    page.get_by_label("Password", exact=True).fill(new_password)
    page.get_by_label("Password again").fill(new_password)
    page.get_by_role("button", name="Change my password").click()
    amina.looked()
    expect(page.get_by_label("Username or email")).to_have_value(cast.amina.username)
    page.get_by_label("Password", exact=True).fill(new_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_facilitator_opens_a_topic_with_three_prompt_questions(people, cast):
    facilitator = people("facilitator")
    page = facilitator.page
    facilitator.log_in(cast.facilitator.username)
    facilitator.go(f"/d/{cast.dialogue}")
    page.get_by_role("link", name="Open a topic").click()
    facilitator.looked()
    page.get_by_label("Title").fill("Who holds the microphone?")
    page.get_by_label("Framing").fill("Think of the **last meeting** you attended.")
    questions = ["Who spoke first?", "Who was not in the room?", "What would you change?"]
    for n, question in enumerate(questions, start=1):
        page.get_by_label(f"Question {n}", exact=True).fill(question)
    page.get_by_role("button", name="Open the topic").click()
    facilitator.looked()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who holds the microphone?")
    expect(page.locator(".framing strong")).to_have_text("last meeting")
    expect(page.locator("ol.questions > li")).to_have_count(3)
    for n, question in enumerate(questions):
        expect(page.locator("ol.questions > li").nth(n)).to_contain_text(question)


def test_a_participant_previews_answers_quotes_replies_and_edits(people, cast, topic_with_posts):
    amina = people("amina")
    page = amina.page
    amina.log_in(cast.amina.username)
    amina.go(topic_with_posts.url)
    reply = page.locator("#reply")
    reply.get_by_label("Answers the prompt question").select_option(label="2. When do you listen?")
    reply.get_by_role("textbox", name="Your reply").fill("We listen **before** the meeting starts.")
    reply.get_by_role("button", name="Preview").click()
    amina.looked()
    expect(page.locator(".preview strong")).to_have_text("before")
    expect(page.get_by_role("textbox", name="Your reply")).to_have_value(
        "We listen **before** the meeting starts."
    )
    expect(page.get_by_label("Answers the prompt question")).to_have_value(
        str(topic_with_posts.questions[1])
    )
    page.get_by_role("button", name="Post reply").click()
    amina.looked()
    mine = page.locator("article.post", has_text="before the meeting starts")
    expect(mine.locator(".badge", has_text="answers Q2")).to_be_visible()

    second = page.locator(f"#p{topic_with_posts.second}")
    second.get_by_role("link", name="Quote").click()
    amina.looked()
    quoted = page.get_by_role("textbox", name="Your reply")
    expect(quoted).to_have_value(re.compile(r"^> .*changing plans", re.S))
    quoted.press("End")
    quoted.press_sequentially("\n\nYes, and the plans must change with them.")
    page.get_by_role("button", name="Post reply").click()
    amina.looked()
    expect(page.locator("article.post blockquote", has_text="changing plans")).to_be_visible()

    page.locator(f"#p{topic_with_posts.second}").get_by_role("link", name="Reply").click()
    amina.looked()
    page.get_by_role("textbox", name="Your reply").fill("A reply in the thread.")
    page.get_by_role("button", name="Post reply").click()
    amina.looked()
    threaded = page.locator("article.post", has_text="A reply in the thread.")
    expect(threaded).to_have_class(re.compile(r"\bd1\b"))  # indented under the post it answers

    threaded.get_by_role("link", name="Edit").click()
    amina.looked()
    page.get_by_role("textbox", name="Your reply").fill("A reply in the thread, edited.")
    page.get_by_role("button", name="Save").click()
    amina.looked()
    edited = page.locator("article.post", has_text="A reply in the thread, edited.")
    edited.get_by_role("link", name="edited once").click()
    amina.looked()
    expect(page.locator("main")).to_contain_text("A reply in the thread.")
    expect(page.locator("main")).to_contain_text("A reply in the thread, edited.")

    reader = people("reader")
    reader.log_in(cast.reader.username)
    reader.go(f"/d/{cast.dialogue}")
    expect(reader.page.get_by_role("link", name="5 new")).to_be_visible()


def test_a_lock_reaches_a_reply_being_typed_and_keeps_its_text(people, cast, topic_with_posts):
    babar = people("babar")
    babar.log_in(cast.babar.username)
    babar.go(topic_with_posts.url)
    text = "My reply, typed slowly on a phone, with care."
    babar.page.get_by_role("textbox", name="Your reply").fill(text)

    moderator = people("moderator")
    moderator.log_in(cast.moderator.username)
    moderator.go(topic_with_posts.url)
    moderator.page.get_by_role("link", name="Lock the topic").click()
    moderator.looked()
    moderator.page.get_by_label("Rule of the code of conduct").select_option("off_topic")
    moderator.page.get_by_label("Reason").fill("The dialogue round has ended; thank you all.")
    moderator.page.get_by_role("button", name="Lock the topic").click()
    expect(moderator.page.locator(".banner.locked")).to_contain_text("round has ended")

    babar.page.get_by_role("button", name="Post reply").click()
    babar.looked()
    expect(babar.page.locator("main")).to_contain_text("The dialogue round has ended")
    expect(babar.page.get_by_role("textbox", name="Your reply")).to_have_value(text)
    babar.go(topic_with_posts.url)
    expect(babar.page.locator("article.post", has_text=text)).to_have_count(0)


def test_a_facilitator_pins_a_summary_citing_two_posts(people, cast, topic_with_posts):
    facilitator = people("facilitator")
    page = facilitator.page
    facilitator.log_in(cast.facilitator.username)
    facilitator.go(topic_with_posts.url)
    page.get_by_role("link", name="Write a summary").click()
    facilitator.looked()
    first, second = topic_with_posts.first, topic_with_posts.second
    page.get_by_label("Summary").fill(
        f"Two threads so far: leadership (#p{first}) and changing plans (#p{second})."
    )
    page.get_by_role("button", name="Save the summary").click()
    facilitator.looked()
    expect(page.locator("#summary")).to_contain_text("Two threads so far")
    for post in (first, second):
        cited = page.locator(f"#p{post}").get_by_role("link", name="cited in the summary")
        expect(cited).to_be_visible()
    expect(page.locator("#summary").get_by_role("link", name=f"#p{first}")).to_be_visible()


def test_a_report_leads_to_a_hidden_post_shown_in_the_public_log(people, cast, topic_with_posts):
    amina = people("amina")
    amina.log_in(cast.amina.username)
    amina.go(topic_with_posts.url)
    amina.page.locator(f"#p{topic_with_posts.second}").get_by_role("link", name="Report").click()
    amina.looked()
    amina.page.get_by_label("Off-topic").check()
    amina.page.get_by_label("Note for the moderators").fill("Not about this dialogue.")
    amina.page.get_by_role("button", name="Send the report").click()
    amina.looked()

    moderator = people("moderator")
    moderator.log_in(cast.moderator.username)
    moderator.page.get_by_role("link", name="Reports").click()
    moderator.looked()
    item = moderator.page.locator("section.report-group", has_text="changing plans")
    expect(item).to_contain_text("Not about this dialogue.")  # moderators read the note
    item.get_by_label("Resolution note (public)").fill("Off topic for this dialogue.")
    item.get_by_label("Rule of the code of conduct (to hide)").select_option("off_topic")
    item.get_by_role("button", name="Hide the post").click()
    moderator.looked()

    reader = people("reader")
    reader.go(topic_with_posts.url)
    hidden = reader.page.locator(f"#p{topic_with_posts.second}")
    expect(hidden).to_contain_text("hidden by the moderators: Off topic for this dialogue.")
    expect(hidden).not_to_contain_text("changing plans")
    reader.page.get_by_role("link", name="Moderation log").click()
    reader.looked()
    entry = reader.page.locator("main").get_by_text("Off topic for this dialogue.").first
    expect(entry).to_be_visible()
    expect(reader.page.locator("main")).not_to_contain_text("Not about this dialogue.")
    expect(reader.page.locator("main")).not_to_contain_text(cast.amina.name)


def test_a_reader_finds_the_feed_from_the_topic_page(people, topic_with_posts):
    reader = people("reader")
    reader.go(topic_with_posts.url)
    link = reader.page.locator('head link[rel="alternate"][type="application/rss+xml"]')
    address = link.get_attribute("href")
    response = reader.page.request.get(address)
    assert response.ok and "rss" in response.headers["content-type"]
    feed = feedparser.parse(response.body())
    assert not feed.bozo
    texts = [entry.description for entry in feed.entries]
    assert any("women who lead" in text for text in texts)
    assert any("changing plans" in text for text in texts)
    with reader.page.expect_navigation():  # and the visible link, once the feed has loaded
        reader.page.get_by_role("link", name="Follow by RSS").click()
    expect(reader.page.locator(":root")).to_contain_text("changing plans")


SELECT = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""


def test_quoting_takes_the_selected_passage_or_else_the_first_paragraph(
    people, cast, topic_with_posts, screen
):
    amina = people("amina")
    page = amina.page
    amina.log_in(cast.amina.username)
    amina.go(topic_with_posts.url)
    second = page.locator(f"#p{topic_with_posts.second}")
    if screen != "no-js":
        second.locator(".prose em").evaluate(SELECT)
    second.get_by_role("link", name="Quote").click()
    amina.looked()
    quoted = page.get_by_role("textbox", name="Your reply")
    if screen == "no-js":  # no selection travels without the script: the first paragraph
        expect(quoted).to_have_value(re.compile(r"wrote:\*\*\n>\n> Listening means \*changing"))
    else:
        expect(quoted).to_have_value(re.compile(r"wrote:\*\*\n>\n> changing plans\n\n$"))


def test_headings_in_a_reply_are_not_smaller_than_its_text_and_a_citation_leads_to_the_post(
    people, cast, topic_with_posts
):
    amina = people("amina")
    page = amina.page
    amina.log_in(cast.amina.username)
    amina.go(topic_with_posts.url)
    second = topic_with_posts.second
    page.locator("#reply").get_by_role("textbox", name="Your reply").fill(
        f"# What we heard\n\n## In Goma\n\n### From the men\n\nAs [Babar said](#p{second})."
    )
    page.get_by_role("button", name="Post reply").click()
    amina.looked()
    mine = page.locator("article.post", has_text="What we heard").locator(".prose")
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    sizes = [mine.locator(tag).evaluate(size) for tag in ("h3", "h4", "h5")]
    text_size = mine.locator("p").evaluate(size)
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] >= text_size, (sizes, text_size)
    mine.get_by_role("link", name="Babar said").click()
    amina.looked()
    expect(page).to_have_url(re.compile(rf"#p{second}$"))
    expect(page.locator(f"#p{second}")).to_contain_text("changing plans")


def test_a_reader_follows_a_topic_and_sees_a_reply_in_the_header(people, cast, topic_with_posts):
    reader = people("reader")
    page = reader.page
    reader.log_in(cast.reader.username)
    reader.go(topic_with_posts.url)
    page.get_by_role("button", name="Follow", exact=True).click()
    reader.looked()
    expect(page.locator("main")).to_contain_text("You follow this topic")
    expect(page.get_by_role("button", name="Unfollow")).to_be_visible()

    babar = people("babar")
    babar.log_in(cast.babar.username)
    babar.go(topic_with_posts.url)
    babar.page.locator("#reply").get_by_role("textbox", name="Your reply").fill(
        "Listening is also **staying** when it is hard."
    )
    babar.page.get_by_role("button", name="Post reply").click()
    expect(babar.page.locator("main")).to_contain_text("Your reply is posted.")

    reader.go("/")
    header = page.get_by_role("navigation", name="Account")
    header.get_by_role("link", name="Notifications (1 unread)").click()
    reader.looked()
    item = page.locator("main li.unread").first
    expect(item).to_contain_text(f"{cast.babar.name} posted in “Listening first {cast.tag}”")
    expect(item).to_contain_text("Listening is also staying when it is hard.")
    page.get_by_role("button", name="Mark all read").click()
    expect(header.get_by_role("link", name="Notifications", exact=True)).to_be_visible()


def test_a_post_with_a_content_note_opens_on_a_click_or_for_a_reader_who_chose_so(
    people, cast, topic_with_posts
):
    amina = people("amina")
    amina.log_in(cast.amina.username)
    amina.go(topic_with_posts.url)
    reply = amina.page.locator("#reply")
    reply.get_by_role("textbox", name="Your reply").fill("What happened at the checkpoint.")
    reply.get_by_role("textbox", name="Content note (optional)").fill("describes violence")
    reply.get_by_role("button", name="Post reply").click()
    amina.looked()

    babar = people("babar")
    page = babar.page
    babar.log_in(cast.babar.username)
    babar.go(topic_with_posts.url)
    text = page.get_by_text("What happened at the checkpoint.")
    expect(text).to_be_hidden()
    page.get_by_text("Content note: describes violence").click()  # with or without JavaScript
    babar.looked()
    expect(text).to_be_visible()

    babar.go("/profile")
    page.get_by_label("Open posts with a content note").check()
    page.get_by_role("button", name="Save").click()
    babar.looked()
    babar.go(topic_with_posts.url)
    expect(page.get_by_text("What happened at the checkpoint.")).to_be_visible()
    expect(page.get_by_text("Content note: describes violence")).to_be_visible()


def test_a_hidden_posts_author_appeals_and_a_second_moderator_reverses(
    people, cast, topic_with_posts, forum
):
    with forum.app.app_context():
        accounts.find_by_username(cast.amina.username).email_confirmed_at = utcnow()
        db.session.commit()
    moderator = people("moderator")
    moderator.log_in(cast.moderator.username)
    moderator.go(topic_with_posts.url)
    moderator.page.locator(f"#p{topic_with_posts.first}").get_by_role("link", name="Hide").click()
    moderator.looked()
    moderator.page.get_by_label("Rule of the code of conduct").select_option("personal_information")
    moderator.page.get_by_label("Reason").fill("It names a meeting place.")
    moderator.page.get_by_role("button", name="Hide the post").click()
    expect(moderator.page.locator(f"#p{topic_with_posts.first}")).to_contain_text(
        "hidden by the moderators: It names a meeting place."
    )

    amina = people("amina")
    amina.log_in(cast.amina.username)
    amina.page.get_by_role("link", name=re.compile("Notifications")).click()
    amina.looked()
    notice = amina.page.locator("li", has_text="hid your post")
    expect(notice).to_contain_text("Sharing personal information without consent")
    expect(notice).to_contain_text("It names a meeting place.")
    notice.get_by_role("link", name="Read the notice and appeal").click()
    amina.looked()
    assert amina.page.url == mailed_link(forum, f"amina-{cast.tag}@example.org")
    amina.page.get_by_role("button", name="Send my appeal").click()
    expect(amina.page.locator("main")).to_contain_text("Say why the decision should be reversed.")
    amina.page.get_by_label("Your statement").fill("The place is public and already known.")
    amina.page.get_by_role("button", name="Send my appeal").click()
    amina.looked()
    expect(amina.page.locator("main")).to_contain_text("Your appeal is sent.")

    moderator.page.get_by_role("link", name="Appeals", exact=True).click()
    moderator.looked()
    mine = moderator.page.locator("section", has_text="The place is public and already known.")
    expect(mine).to_contain_text("another moderator decides on the appeal")
    expect(mine.get_by_role("button", name="Reverse the decision")).to_have_count(0)

    admin = people("admin")
    admin.log_in(cast.admin.username)
    admin.page.get_by_role("link", name="Appeals", exact=True).click()
    admin.looked()
    appeal = admin.page.locator("section", has_text="The place is public and already known.")
    appeal.get_by_label("Reason for the decision (public)").fill("A public place may be named.")
    appeal.get_by_role("button", name="Reverse the decision").click()
    admin.looked()
    expect(admin.page.locator("main")).to_contain_text("The appeal is decided")

    reader = people("reader")
    reader.go(topic_with_posts.url)
    expect(reader.page.locator(f"#p{topic_with_posts.first}")).to_contain_text(
        "We listen to the women who lead."
    )
    reader.page.get_by_role("link", name="Moderation log").click()
    reader.looked()
    expect(reader.page.locator("main")).to_contain_text("Appeal decided: reversed")
    expect(reader.page.locator("main")).to_contain_text("A public place may be named.")
    expect(reader.page.locator("main")).not_to_contain_text("already known")  # private
    reader.page.get_by_role("link", name="Transparency").click()
    reader.looked()
    expect(reader.page.locator("main")).to_contain_text("Appeals that reversed the decision")

    amina.page.reload()
    expect(amina.page.locator("main")).to_contain_text("Reversed: the decision is undone.")


def mails_to(forum, address: str) -> list:
    """The mail to address that the one-command forum wrote (.eml), each part decoded."""
    folder = Path(forum.app.instance_path) / "mail"
    mails = [message_from_bytes(eml.read_bytes(), policy=default) for eml in folder.glob("*.eml")]
    return [
        "\n".join([str(mail["Subject"])] + [part.get_content() for part in mail.walk()
                                             if part.get_content_maintype() == "text"])
        for mail in mails
        if mail["To"] == address
    ]  # fmt: skip


def test_a_pseudonymous_dialogue_shows_only_pseudonyms_until_a_moderator_reveals(
    people, cast, forum
):
    with forum.app.app_context():
        dialogue = dialogues.create_dialogue(
            slug=f"safe-{cast.tag}", title=f"Speaking safely {cast.tag}", pseudonymous=True, by=None
        )
        facilitator = accounts.find_by_username(cast.facilitator.username)
        dialogues.assign_facilitator(dialogue, facilitator, by=None)
        topic = topics.open_topic(dialogue, title=f"What helped {cast.tag}", framing="Tell us.",
                                  questions=["Who helped?"], by=facilitator)  # fmt: skip
        follower = accounts.find_by_username(cast.reader.username)
        follower.mail_mode, follower.email_confirmed_at = MailMode.instant, utcnow()
        follow(topic, by=follower)
        db.session.commit()
        address, feed_address = f"/t/{topic.id}/{topic.slug}", f"/t/{topic.id}/feed.rss"
    amina_traces = (cast.amina.name, cast.amina.username)

    # Amina chooses the name she goes by with her first reply; a second reply no longer asks.
    amina = people("amina")
    amina.log_in(cast.amina.username)
    amina.go(address)
    amina.page.get_by_role("textbox", name="The name you will go by in this dialogue").fill(
        "Kitchen Table"
    )
    amina.page.get_by_role("textbox", name="Your reply").fill("A kitchen where nobody wrote.")
    amina.page.get_by_role("button", name="Post reply").click()
    amina.looked()
    mine = amina.page.locator("article.post", has_text="A kitchen where nobody wrote.")
    expect(mine.locator(".meta")).to_contain_text("Kitchen Table")
    expect(amina.page.get_by_text("The name you will go by in this dialogue")).to_have_count(0)

    for name in ("babar", "facilitator"):
        other = people(name)
        other.log_in(getattr(cast, name).username)
        other.go(address)
        other.looked()
        post = other.page.locator("article.post", has_text="A kitchen where nobody wrote.")
        expect(post.locator(".meta")).to_contain_text("Kitchen Table")
        for trace in amina_traces:
            expect(other.page.locator("main")).not_to_contain_text(trace)
        expect(post.get_by_role("link", name="Who wrote this?")).to_have_count(0)

    reader = people("reader")
    feed = feedparser.parse(reader.page.request.get(feed_address).body())
    [entry] = [e for e in feed.entries if "kitchen" in e.description]
    assert entry.author == "Kitchen Table"
    assert not [trace for trace in amina_traces if trace in str(feed)]
    # The follower's mail (written by the forum as the request ended) names the pseudonym only.
    [mail] = mails_to(forum, f"reader-{cast.tag}@example.org")
    assert "Kitchen Table posted in" in mail and "A kitchen where nobody wrote." in mail
    assert not [trace for trace in amina_traces if trace in mail]

    moderator = people("moderator")
    moderator.log_in(cast.moderator.username)
    moderator.go(address)
    post = moderator.page.locator("article.post", has_text="A kitchen where nobody wrote.")
    post.get_by_role("link", name="Who wrote this?").click()
    moderator.looked()
    moderator.page.get_by_role("button", name="Reveal the account").click()
    expect(moderator.page.locator("main")).to_contain_text("Give a reason")
    moderator.page.get_by_label("Why do you need to know who this is?").fill(
        "A threat was reported."
    )
    moderator.page.get_by_role("button", name="Reveal the account").click()
    moderator.looked()
    expect(moderator.page.locator("main")).to_contain_text(cast.amina.name)


def test_a_participant_downloads_their_data_then_deletes_their_account(
    people, cast, topic_with_posts
):
    amina = people("amina")
    amina.log_in(cast.amina.username)
    amina.go("/profile")
    amina.page.get_by_role("link", name="Download my data").click()
    amina.looked()
    amina.page.get_by_label("Your password").fill(PASSWORD)
    with amina.page.expect_download() as download:
        amina.page.get_by_role("button", name="Download my data").click()
    assert download.value.suggested_filename.endswith(".zip")
    amina.go("/profile")
    amina.page.get_by_role("link", name="Delete my account").click()
    amina.looked()
    amina.page.get_by_label("Your password").fill(PASSWORD)
    amina.page.get_by_role("button", name="Delete my account").click()  # no choice made yet
    expect(amina.page.locator("main")).to_contain_text("Choose what happens to your posts.")
    amina.page.get_by_label("Remove my posts' text").check()
    amina.page.get_by_label("Your password").fill(PASSWORD)
    amina.page.get_by_role("button", name="Delete my account").click()
    amina.looked()
    expect(amina.page.locator("main")).to_contain_text("Your account is deleted")
    expect(amina.page.get_by_role("link", name="Log in")).to_be_visible()

    babar = people("babar")
    babar.go(topic_with_posts.url)
    babar.looked()
    main = babar.page.locator("main")
    expect(main).to_contain_text("Its author removed the text of this post")
    expect(main).to_contain_text("A former participant")
    expect(main).to_contain_text("Listening means")  # the reply stays
    expect(main).not_to_contain_text(cast.amina.name)
    expect(main).not_to_contain_text("We listen to the women who lead.")


def test_a_reader_searches_the_topic_opens_a_result_and_lands_on_the_post(
    people, cast, forum, topic_with_posts
):
    with forum.app.app_context():
        topic = topics.find_topic(topic_with_posts.id)
        sofia = accounts.find_by_username(cast.amina.username)
        post = posts.reply(
            topic,
            by=sofia,
            subject=f"Mediación {cast.tag}",
            body="La mediación comunitaria necesita tiempo y confianza.",
            language="es",
        )
        db.session.commit()
        post_id = post.id
    reader = people("reader")
    page = reader.page
    reader.go(topic_with_posts.url)
    page.get_by_label("Search this topic").fill("mediacion")  # no accent: found all the same
    page.get_by_role("button", name="Search", exact=True).click()
    reader.looked()
    expect(page).to_have_url(re.compile(rf"/search\?topic={topic_with_posts.id}&q=mediacion$"))
    expect(page.locator("main .snippet mark")).to_have_text("mediación")
    page.get_by_role("link", name=f"Mediación {cast.tag}").click()
    reader.looked()
    expect(page).to_have_url(re.compile(rf"{re.escape(topic_with_posts.url)}.*#p{post_id}$"))
    expect(page.locator(f"#p{post_id}")).to_contain_text("necesita tiempo y confianza")


def test_a_facilitator_prints_the_dialogue_report_and_opens_its_csv(
    people, cast, forum, topic_with_posts
):
    first = topic_with_posts.first
    with forum.app.app_context():
        topic = topics.find_topic(topic_with_posts.id)
        facilitator = accounts.find_by_username(cast.facilitator.username)
        save_summary(topic, source=f"Listening comes first (#p{first}).", pinned=True,
                     by=facilitator)  # fmt: skip
        source = f"Women who lead are listened to first, as #p{first} says."
        db.session.add(
            Conclusion(question_id=topic_with_posts.questions[0], topic_id=topic.id,
                       source=source, html=text.render(source), cited_post_ids=[first],
                       author_id=facilitator.id)
        )  # fmt: skip
        db.session.commit()
    person = people("facilitator")
    page = person.page
    person.log_in(cast.facilitator.username)
    person.go(f"/d/{cast.dialogue}")
    page.get_by_role("link", name="The dialogue's report, to print or export").click()
    person.looked()
    expect(page.locator("main h1")).to_contain_text("Report: Men as allies")

    # Printed from the browser: A4, no navigation, the questions, conclusion and citations.
    page.wait_for_load_state()  # the report streams: print it whole, as a person would
    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))  # static/report.css
    width, height = printed.pages[0].mediabox.width, printed.pages[0].mediabox.height
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4, in points
    words = " ".join(" ".join(p.extract_text().split()) for p in printed.pages)
    words = unicodedata.normalize("NFKC", words)  # the PDF's "ﬁ" ligatures as letters
    for expected in ("Question 1: Who listens?", "Question 3: What changes?",
                     "Women who lead are listened to first", f"#p{first}",
                     "We listen to the women who lead.", "Listening comes first"):  # fmt: skip
        assert expected in words, expected
    assert "Log out" not in words and "Skip to content" not in words

    # The posts as CSV, downloaded and opened.
    with page.expect_download() as download:
        page.get_by_role("link", name="the posts as CSV").click()
    assert download.value.suggested_filename.endswith("posts.csv")
    table = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [row["id"] for row in rows] == [str(first), str(topic_with_posts.second)]
    assert rows[0]["text"] == "We listen to the women who lead."
    assert rows[0]["author"] == cast.amina.name
