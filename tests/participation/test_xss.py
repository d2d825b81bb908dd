"""Every payload of the XSS corpus as a label the participation page shows (questions, topics,
roles and regions, chart layers), in the charts' SVG and in the tables: nothing runs."""

from dataclasses import replace

from flask import get_template_attribute

from forum.dialogues.models import Dialogue
from forum.extensions import db
from forum.participation import charts, services
from forum.participation.services import Question, picture
from tests.databases import same_on_every_database
from tests.test_text import dangers, payloads


@same_on_every_database
def test_every_payload_is_harmless_on_the_participation_page(app, harvest):
    corpus = [p for p in payloads() if p.strip()]
    with app.test_request_context():
        dialogue = db.session.get(Dialogue, harvest.dialogue.id)
        real = picture(dialogue, zone="UTC")
        draw = get_template_attribute("participation/_picture.html", "picture_html")
        for start in range(0, len(corpus), 200):
            chunk = corpus[start : start + 200]
            shown = replace(real, questions=[
                Question(n, n // 3 + 1, n % 3 + 1, p[:500], p[:200], answers=n % 7)
                for n, p in enumerate(chunk)
            ])  # fmt: skip
            for breakdown in (shown.roles, shown.regions, shown.replies):
                breakdown.labels = {key: chunk[n % len(chunk)][:80]
                                    for n, key in enumerate(breakdown.labels)}  # fmt: skip
            shown.roles.by_question = [(q, shown.roles.overall) for q in shown.questions]
            for n, layer in enumerate(shown.series):
                layer.label = layer.code = chunk[-n - 1][:80]
            drawn = charts.draw(shown)
            html = str(
                draw(shown, drawn, services.share, services.sentences(shown.roles),
                     services.sentences(shown.regions))
            )  # fmt: skip
            assert [d for d in dangers(html) if d != "<svg>"] == []
            assert html.count("<svg ") == len(drawn)
