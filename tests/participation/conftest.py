"""A dialogue whose participation is known: who declared what, who posted what, on which day.

Day 1 (2 March 2026, UTC): five male allies and five women peacemakers answer question 1.1; a UN
agency person posts without a question.
Day 2: four of the male allies, the five women peacemakers and an undeclared person answer
question 1.2; each woman peacemaker replies to a male ally and each male ally to a woman
peacemaker, one reply goes a level deeper; the second UN agency person answers question 1.3
twice (one post hidden); two undeclared people post without a question, and a third post
without a question is removed by its author.
"""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from forum.accounts.models import ChoiceKind, Role
from forum.accounts.services import find_by_username
from forum.extensions import db
from forum.moderation.services import hide_post
from forum.participation import choices
from forum.posts.models import Post

DAY_1 = datetime(2026, 3, 2, 10, 0)
DAY_2 = DAY_1 + timedelta(days=1)
ALLIES = [f"ally{n}" for n in range(1, 6)]
PEACEMAKERS = [f"peace{n}" for n in range(1, 6)]
AGENCY = ["agency1", "agency2"]
QUIET = ["quiet1", "quiet2", "quiet3"]
DECLARING = ALLIES + PEACEMAKERS + AGENCY + QUIET


def display_name(username: str) -> str:
    return f"Declared {username.title()}"


@pytest.fixture
def add_choices(app, create_user):
    """The roles and regions admins offer; returns their ids by label."""

    def add():
        with app.app_context():
            admin = find_by_username("nadia")
            ids = {}
            for kind, labels in (
                (ChoiceKind.role, ["Woman peacemaker", "Male ally", "UN agency"]),
                (ChoiceKind.region, ["Africa", "Latin America"]),
            ):
                for label in labels:
                    ids[label] = choices.add_choice(kind, label, by=admin).id
            db.session.commit()
            return ids

    return add


@pytest.fixture
def harvest(app, create_user, create_dialogue, create_topic, create_post, add_choices):
    create_user("nadia", role=Role.admin, display_name="Nadia Haddad")
    create_user("lucia", display_name="Lucía Pérez")
    for username in DECLARING:
        create_user(username, display_name=display_name(username))
    ids = add_choices()
    declared = {
        **dict.fromkeys(ALLIES, ("Male ally", "Africa")),
        **dict.fromkeys(PEACEMAKERS, ("Woman peacemaker", "Latin America")),
        **dict.fromkeys(AGENCY, ("UN agency", "Africa")),
    }
    with app.app_context():
        for username, (role, region) in declared.items():
            choices.declare(find_by_username(username), role_id=ids[role], region_id=ids[region])
        db.session.commit()
    dialogue = create_dialogue("harvest", facilitators=["lucia"])
    topic = create_topic(dialogue)
    q1, q2, q3 = topic.question_ids
    dated = []

    def post(by, day, prompt=None, parent=None):
        made = create_post(topic, by=by, body=f"Said by {by}.", prompt_id=prompt, parent_id=parent)
        dated.append((made.id, day + timedelta(minutes=len(dated))))
        return made

    first = {username: post(username, DAY_1, q1) for username in ALLIES + PEACEMAKERS}
    post("agency1", DAY_1)
    for username in ALLIES[:4] + PEACEMAKERS + ["quiet1"]:
        post(username, DAY_2, q2)
    replies = [
        post(peace, DAY_2, parent=first[ally].id)
        for ally, peace in zip(ALLIES, PEACEMAKERS, strict=True)
    ]
    for ally, peace in zip(ALLIES, PEACEMAKERS, strict=True):
        post(ally, DAY_2, parent=first[peace].id)
    post("ally2", DAY_2, parent=replies[0].id)
    post("agency2", DAY_2, q3)
    hidden = post("agency2", DAY_2, q3)
    post("quiet2", DAY_2)
    post("quiet3", DAY_2)
    removed = post("quiet1", DAY_2)
    with app.app_context():
        for post_id, moment in dated:
            db.session.get(Post, post_id).created_at = moment
        hide_post(db.session.get(Post, hidden.id), by=find_by_username("nadia"), reason="Unkind.")
        db.session.get(Post, removed.id).removed_at = DAY_2 + timedelta(days=1)
        db.session.commit()
    return SimpleNamespace(dialogue=dialogue, topic=topic, ids=ids, questions=(q1, q2, q3))
