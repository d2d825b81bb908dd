"""No text a form accepts can hold a worker: it renders quickly or is refused, the text kept."""

import random
import time

import markdown
import pytest
from markdown.inlinepatterns import LinkInlineProcessor
from sqlalchemy import func, select

from forum import text
from forum.extensions import db
from forum.posts import services as post_services
from forum.posts.models import Post
from tests.markdown_families import FAMILIES

# Ten times the budget of 0.5 s (bench/texts.py measures the real figure), far below the
# 54 s that 20,000 '[' took before the pipeline had a budget.
CEILING_SECONDS = 5
REFUSED_LINKS = "[a](" * (text.MAX_LENGTH // 4)


def long_post() -> str:
    """A real post at the longest length a form accepts: prose, links, lists, quotes, a table."""
    section = (
        "## What we heard in the workshop\n\n"
        "Participants from *Goma*, **Bogotá** and Mindanao said that support from men works "
        "when it follows the lead of women's groups; see [the report](https://example.org/r) "
        "and https://example.org/notes, or write to us.\n\n"
        "> The men who helped most were the ones who asked first.\n"
        "> They listened, then they spoke to other men.\n\n"
        "- open the meeting, then step back\n- carry the message to other men\n"
        "  - in the mosque and the church\n  - at the football club\n\n"
        "1. listen\n2. ask\n3. act\n\n"
        "| place | groups |\n|---|---:|\n| Goma | 12 |\n| Bogotá | 7 |\n\n"
        "`ask first` is what one of us wrote on the wall.\n\n"
    )
    return (section * (text.MAX_LENGTH // len(section) + 1))[: text.MAX_LENGTH]


def reply_url(topic) -> str:
    return f"/t/{topic.id}/reply"


@pytest.mark.parametrize("family", FAMILIES)
def test_every_pathological_text_renders_or_is_refused_quickly(app, family):
    source = FAMILIES[family]
    assert len(source) <= text.MAX_LENGTH
    text._convert.cache_clear()
    with app.app_context():
        started = time.perf_counter()
        try:
            html = text.render(source)
        except text.TextRefused as refused:
            assert str(refused)
        else:
            assert isinstance(html, str)
        assert time.perf_counter() - started < CEILING_SECONDS


def test_links_come_out_as_python_markdown_makes_them(app):
    def convert(source: str, *, library: bool) -> str:
        md = markdown.Markdown(extensions=["sane_lists", "tables", text._ForumExtension()])
        for pattern in md.inlinePatterns:
            if library and isinstance(pattern, LinkInlineProcessor):
                del pattern.getText  # back to the library's own scan to the end of the text
        return md.convert(source)

    rng = random.Random(7)
    for _ in range(1000):
        source = "".join(rng.choice("[]()!ab \n:\"'\\") for _ in range(rng.randint(1, 40)))
        assert convert(source, library=False) == convert(source, library=True), source


def test_a_long_real_post_renders_whole(app):
    source = long_post()
    assert len(source) == text.MAX_LENGTH
    with app.app_context():
        html = text.render(source)
    sections = source.count("## What we heard")
    assert html.count("<h4>What we heard in the workshop</h4>") >= sections - 1
    assert html.count('<a href="https://example.org/r" rel="nofollow ugc noopener">') >= sections
    assert html.count("<blockquote>") >= sections - 1
    assert html.count("<table>") >= sections - 1


def test_a_text_longer_than_the_forms_accept_is_refused(app):
    with app.app_context(), pytest.raises(text.TextTooLong):
        text.render("a" * (text.MAX_LENGTH + 1))


@pytest.mark.parametrize("button", ["preview", "submit"])
def test_a_too_complex_reply_comes_back_with_the_message_and_the_text(
    app, client, dialogue_setup, button
):
    topic = dialogue_setup.topic
    client.login("amina")
    page = client.submit(
        reply_url(topic), {"body": REFUSED_LINKS, button: "x"}, page=topic.url
    ).text
    assert "This text is too complex to format" in page
    assert f"{REFUSED_LINKS}</textarea>" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id))) == 0


def test_a_too_long_reply_comes_back_with_the_message_and_the_text(app, client, dialogue_setup):
    topic = dialogue_setup.topic
    client.login("amina")
    body = "word " * (text.MAX_LENGTH // 5) + "!"
    page = client.submit(reply_url(topic), {"body": body, "preview": "x"}, page=topic.url).text
    assert f"at most {text.MAX_LENGTH} characters" in page
    assert f"{body}</textarea>" in page


def test_every_markdown_form_refuses_a_too_complex_text(app, client, dialogue_setup):
    topic, dialogue = dialogue_setup.topic, dialogue_setup.dialogue
    client.login("nadia")
    forms = [
        (f"/t/{topic.id}/edit", {"title": "T", "framing": REFUSED_LINKS, "questions-0": "Q?"}),
        (f"/d/{dialogue.slug}/summary", {"source": REFUSED_LINKS, "preview": "x"}),
        (f"/d/{dialogue.slug}/edit", {"title": "D", "description": REFUSED_LINKS, "state": "open"}),
        ("/code-of-conduct/en/edit", {"title": "C", "source": REFUSED_LINKS, "preview": "x"}),
    ]
    for url, data in forms:
        page = client.submit(url, data).text
        assert "This text is too complex to format" in page, url
        assert REFUSED_LINKS in page, url


def test_rerendering_keeps_a_stored_too_complex_text_readable(app, dialogue_setup, create_post):
    post = create_post(dialogue_setup.topic, body="fine")
    with app.app_context():
        db.session.execute(
            Post.__table__.update()
            .where(Post.id == post.id)
            .values(body_source=REFUSED_LINKS + "\n\nsecond", render_version=0)
        )
        db.session.commit()
        assert post_services.rerender() >= 1
        html = db.session.get(Post, post.id).body_html
    assert html.startswith("<p>[a]([a](") and html.endswith("<p>second</p>")


def test_a_citation_links_to_the_post_wherever_it_is_shown(app, dialogue_setup, create_post):
    cited = create_post(dialogue_setup.topic, body="The first word.")
    with app.app_context():
        html = text.render(f"As [she said](#p{cited.id}), and #p{cited.id} again; `#p{cited.id}`")
    link = f'href="/p/{cited.id}" rel="nofollow ugc noopener"'
    assert f"<a {link}>she said</a>" in html
    assert f"<a {link}>#p{cited.id}</a>" in html
    assert f"<code>#p{cited.id}</code>" in html


@pytest.mark.parametrize("number", ["999999", "9999999999"])
def test_a_citation_of_a_missing_post_is_refused_in_the_form(app, client, dialogue_setup, number):
    topic = dialogue_setup.topic
    client.login("amina")
    body = f"As #p{number} said."
    for button in ("preview", "submit"):
        page = client.submit(reply_url(topic), {"body": body, button: "x"}, page=topic.url)
        assert page.status_code < 500
        assert f"There is no post #p{number}" in page.text
        assert f"{body}</textarea>" in page.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id))) == 0
