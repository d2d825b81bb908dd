"""More voices for the demo's open topic, and the roles and regions people declare (from
voices.toml): enough people in each group for the participation page to show groups."""

import secrets
import tomllib
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from forum.accounts import services
from forum.accounts.models import ChoiceKind, User
from forum.demo import content
from forum.extensions import db
from forum.participation import choices
from forum.posts import services as posts
from forum.topics.models import Topic

VOICES = Path(__file__).with_name("voices.toml")


def load_voices(people: dict[str, User]) -> None:
    """Offer the roles and regions, declare them for the demo's people, and add the voices."""
    data = tomllib.loads(VOICES.read_text(encoding="utf-8"))
    offered = {}
    for kind, labels in ((ChoiceKind.role, data["roles"]), (ChoiceKind.region, data["regions"])):
        for label in labels:
            offered[label] = choices.add_choice(kind, label, by=people["admin"]).id
    declared, writes_in = dict(data["declared"]), {}
    for spec in data["people"]:
        username = spec["username"]
        people[username] = services.create_user(
            username=username,
            email=f"{username}@example.org",
            password=secrets.token_urlsafe(12),
            display_name=spec["name"],
        )
        services.update_profile(
            people[username], organisation=spec["organisation"], country=spec["country"]
        )
        declared[username] = spec["declared"]
        writes_in[username] = spec.get("language", "en")
    for username, (role, region) in declared.items():
        choices.declare(people[username], role_id=offered[role], region_id=offered[region])
    topic = db.session.scalar(select(Topic).where(Topic.title == content.TOPICS[-1]["title"]))
    written = {}
    for item in data["posts"]:
        parent = written.get(item.get("parent"))
        question = item.get("prompt")
        post = posts.reply(
            topic,
            by=people[item["author"]],
            body=item["body"],
            prompt_id=topic.questions[question - 1].id if question else None,
            parent_id=parent.id if parent else None,
            language=writes_in[item["author"]],
        )
        post.created_at = topic.created_at + timedelta(minutes=item["minutes"])
        written[item["key"]] = post
    topic.last_activity_at = topic.dialogue.last_activity_at = post.created_at
    db.session.flush()
