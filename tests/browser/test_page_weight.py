"""Page weight: a full page of a topic, with everything it loads, stays small and on this host.

A topic page showing 50 posts of about 600 characters of Markdown, loaded anonymously in a fresh
browser, must need no resource from another host (no web fonts, CDNs or trackers) and weigh at
most 30 KB once each resource the browser received is gzip-compressed at level 6 (the level
nginx is commonly set to, `gzip_comp_level 6`), as a reverse proxy in front of the forum would
serve it. Run with -s to see the size of each resource.
"""

import gzip
import random
import re
import uuid
from urllib.parse import urlsplit

from forum.accounts import services as accounts
from forum.dialogues import services as dialogues
from forum.extensions import db
from forum.pages.code_of_conduct import SHIPPED
from forum.posts import services as posts
from forum.topics import services as topics
from tests.browser.conftest import PASSWORD

BUDGET = 30 * 1024
GZIP_LEVEL = 6
POSTS = 50

# Replies are made of the words of the shipped code of conduct (English, French, Spanish) in a
# random order: gzip finds no more repetition in them than in real posts (it finds less).
LANGUAGES = ("en", "fr", "en", "es")
LENGTH = 600


def _words(language: str) -> list[str]:
    source = (SHIPPED / f"code_of_conduct.{language}.md").read_text(encoding="utf-8")
    return re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", source)


def _body(n: int) -> str:
    """About 600 characters of Markdown: emphasis, a list, a link; in English, French or Spanish."""
    language = LANGUAGES[n % len(LANGUAGES)]
    words, rng = _words(language), random.Random(n)

    def phrase(k: int) -> str:
        return " ".join(rng.choice(words) for _ in range(k))

    def sentence(k: int) -> str:
        text = phrase(k)
        return f"{text[0].upper()}{text[1:]}."

    body = (
        f"{sentence(12)} *{phrase(3)}* {sentence(8)}\n\n"
        f"- {phrase(5)}\n- {phrase(6)}\n- {phrase(4)}\n\n"
        f"[{phrase(3)}](https://example.org/{language}/report-{n}) {phrase(6)}"
    )
    while len(body) < LENGTH:
        body += f" {rng.choice(words)}"
    return body + "."


def _long_topic(forum) -> str:
    """A topic with 50 replies, some of them replies to replies; its path."""
    tag = uuid.uuid4().hex[:6]
    with forum.app.app_context():
        people = [
            accounts.create_user(
                username=f"{name.lower()}-{tag}",
                email=f"{name.lower()}-{tag}@example.org",
                password=PASSWORD,
                display_name=f"{name} {tag}",
            )
            for name in ("Amina", "Babar", "Lucia", "Omar", "Grace")
        ]
        dialogue = dialogues.create_dialogue(
            slug=f"weight-{tag}",
            title=f"Men as allies {tag}",
            description="How men support women peacebuilders.",
            by=None,
        )
        topic = topics.open_topic(
            dialogue,
            title=f"What allies do {tag}",
            framing="What have men in your group *done*, not only said, to support women?",
            questions=["What did they do?", "What changed?", "What would you ask of them?"],
            by=people[0],
        )
        parent = None
        for n in range(POSTS):
            post = posts.reply(
                topic,
                by=people[n % len(people)],
                body=_body(n),
                parent_id=parent.id if parent and n % 3 else None,
                prompt_id=topic.questions[n % 3].id if n % 4 == 0 else None,
            )
            parent = post if n % 3 == 0 else parent
        db.session.commit()
        return f"/t/{topic.id}/{topic.slug}"


def test_a_full_topic_page_is_light_and_needs_no_other_host(browser, forum):
    path = _long_topic(forum)
    assert all(LENGTH <= len(_body(n)) <= LENGTH + 30 for n in range(POSTS))
    context = browser.new_context(base_url=forum.url)
    try:
        page = context.new_page()
        received = []
        page.on("response", lambda response: received.append(response))
        page.goto(path, wait_until="load")
        assert page.locator("article.post").count() == POSTS
        sizes = []
        for response in received:
            body = response.body()
            zipped = gzip.compress(body, compresslevel=GZIP_LEVEL)
            sizes.append((response.url, len(body), len(zipped)))
    finally:
        context.close()

    here = urlsplit(forum.url).netloc
    elsewhere = [url for url, _, _ in sizes if urlsplit(url).netloc != here]
    assert elsewhere == [], f"resources from other hosts: {elsewhere}"
    total = sum(zipped for _, _, zipped in sizes)
    report = (
        "\n".join(
            f"{zipped:>7} B gzip -{GZIP_LEVEL} ({raw:>7} B raw)  {urlsplit(url).path}"
            for url, raw, zipped in sizes
        )
        + f"\n{total:>7} B gzip -{GZIP_LEVEL} in all, budget {BUDGET} B"
    )
    print(f"\n{report}")
    assert total <= BUDGET, report
