"""The participation picture of a dialogue: a few aggregate queries, whatever its size.

What counts: every post a reader sees (hidden posts never), and removed posts as posts without
an author (no person, no declared role or region). Days are the reader's days, in their zone.
Declared roles and regions appear only as groups (forum/participation/groups.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_percent, gettext
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from forum.accounts.models import ChoiceKind, User
from forum.clock import local_day
from forum.extensions import db
from forum.participation import choices as choice_services
from forum.participation.groups import OTHER, REST, UNDECLARED, Bucket, group
from forum.posts.models import Post
from forum.topics.models import PromptQuestion, Topic

# The questions the picture names, in the dialogue's order; a dialogue with more (dozens of
# topics) shows the first ones, and counts the answers to the others together.
QUESTIONS_SHOWN = 60
# Posts per day are stacked by question for the most answered questions, the rest together.
STACKED = 7
OTHER_QUESTIONS, NO_QUESTION = -1, None


@dataclass
class Question:
    """A prompt question as the picture names it: '2.1' is question 1 of the dialogue's
    second topic."""

    id: int
    topic_number: int
    number: int
    text: str
    topic_title: str
    answers: int = 0

    @property
    def code(self) -> str:
        return f"{self.topic_number}.{self.number}"


@dataclass
class Series:
    """One layer of a stacked chart: its key, its label and a value per day."""

    key: int | None
    label: str
    code: str  # what a table's column says
    values: list[int]


@dataclass
class Breakdown:
    """The posts of a dialogue by one kind of declaration: overall and question by question
    (None where no group may be shown)."""

    kind: ChoiceKind
    labels: dict
    overall: list[Bucket] | None
    by_question: list[tuple[Question, list[Bucket] | None]]

    @property
    def shown(self) -> bool:
        return self.overall is not None or any(b for _, b in self.by_question)


@dataclass
class Replies:
    """Who answers whom: replies from each group (rows) to posts of each group (columns)."""

    labels: dict
    rows: list[Bucket]
    columns: list[Bucket]
    counts: dict

    def count(self, row, column) -> int:
        return self.counts.get((row.key, column.key), 0)


@dataclass
class Picture:
    posts: int = 0
    people: int = 0
    days: list[date] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    returning: list[int] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    more_questions: int = 0  # answers to the questions beyond those shown
    unprompted: int = 0  # posts that answer no question
    depths: list[tuple[int, int]] = field(default_factory=list)
    roles: Breakdown | None = None
    regions: Breakdown | None = None
    replies: Replies | None = None


def _visible(dialogue_id: int, post=Post):
    return and_(
        Topic.id == post.topic_id, Topic.dialogue_id == dialogue_id, post.hidden_at.is_(None)
    )


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _questions(dialogue_id: int) -> tuple[list[Question], bool]:
    rows = db.session.execute(
        select(
            PromptQuestion.id, PromptQuestion.position, PromptQuestion.text, Topic.id, Topic.title
        )
        .join(Topic, Topic.id == PromptQuestion.topic_id)
        .where(Topic.dialogue_id == dialogue_id)
        .order_by(Topic.id, PromptQuestion.position)
        .limit(QUESTIONS_SHOWN + 1)
    ).all()
    topics: dict[int, int] = {}
    questions = []
    for question_id, position, wording, topic_id, title in rows[:QUESTIONS_SHOWN]:
        topic_number = topics.setdefault(topic_id, len(topics) + 1)
        questions.append(Question(question_id, topic_number, position + 1, wording, title))
    return questions, len(rows) > QUESTIONS_SHOWN


def _question_of(ids: list[int], more: bool):
    """The question a post counts under: its own if shown, else OTHER_QUESTIONS (or none)."""
    if not more:
        return Post.prompt_id
    return case(
        (Post.prompt_id.in_(ids), Post.prompt_id),
        (Post.prompt_id.is_not(None), OTHER_QUESTIONS),
    )


def _author():
    """The person who wrote a post, none for a removed post."""
    return case((Post.removed_at.is_(None), Post.author_id))


def _choice_labels(kind: ChoiceKind) -> tuple[list[int], dict]:
    listed = choice_services.choices(kind)
    labels = {c.id: c.label for c in listed}
    labels.update(
        {OTHER: gettext("Other"), UNDECLARED: gettext("Not declared"),
         REST: gettext("Other or not declared")}
    )  # fmt: skip
    return [c.id for c in listed], labels


def picture(dialogue, *, zone: str) -> Picture:
    """Everything the participation page shows of a dialogue, in the reader's time zone."""
    result = Picture()
    questions, more = _questions(dialogue.id)
    result.questions = questions
    ids = [q.id for q in questions]
    question_of = _question_of(ids, more)
    day = local_day(Post.created_at, zone, dialect=_dialect(), since=dialogue.created_at)
    visible = _visible(dialogue.id)

    # Posts per day and question.
    rows = select(day.label("day"), question_of.label("q")).where(visible).subquery()
    per_day: dict[date, dict] = defaultdict(lambda: defaultdict(int))
    answers: dict[int | None, int] = defaultdict(int)
    for day_text, question, count in db.session.execute(
        select(rows.c.day, rows.c.q, func.count()).group_by(rows.c.day, rows.c.q)
    ):
        per_day[date.fromisoformat(day_text)][question] += count
        answers[question] += count
    for question in questions:
        question.answers = answers.get(question.id, 0)
    result.more_questions = answers.get(OTHER_QUESTIONS, 0)
    result.unprompted = answers.get(NO_QUESTION, 0)
    result.posts = sum(answers.values())
    if per_day:
        first, last = min(per_day), max(per_day)
        result.days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    result.series = _series(result, per_day)

    # People per day: new (their first post in the dialogue) and returning.
    pairs = select(Post.author_id.label("person"), day.label("day")).where(
        visible, Post.removed_at.is_(None)
    )
    pairs = pairs.subquery()
    seen = select(pairs.c.person, pairs.c.day).group_by(pairs.c.person, pairs.c.day).cte("seen")
    firsts = (
        select(seen.c.person, func.min(seen.c.day).label("first"))
        .group_by(seen.c.person)
        .subquery()
    )
    people_days = {
        date.fromisoformat(day_text): (people, new)
        for day_text, people, new in db.session.execute(
            select(
                seen.c.day, func.count(), func.sum(case((seen.c.day == firsts.c.first, 1), else_=0))
            )
            .join(firsts, firsts.c.person == seen.c.person)
            .group_by(seen.c.day)
        )
    }
    for each in result.days:
        people, new = people_days.get(each, (0, 0))
        result.new.append(new)
        result.returning.append(people - new)

    # Thread depth.
    result.depths = [
        tuple(row)
        for row in db.session.execute(
            select(Post.depth, func.count())
            .where(visible)
            .group_by(Post.depth)
            .order_by(Post.depth)
        )
    ]

    # Who wrote the answers to each question, by declared role and region.
    by_person = select(question_of.label("q"), _author().label("person")).where(visible).subquery()
    counted = (
        select(by_person.c.q, by_person.c.person, func.count().label("n"))
        .group_by(by_person.c.q, by_person.c.person)
        .subquery()
    )
    authors = db.session.execute(
        select(
            counted.c.q,
            counted.c.person,
            User.declared_role_id,
            User.declared_region_id,
            counted.c.n,
        ).outerjoin(User, User.id == counted.c.person)
    ).all()
    result.people = len({row.person for row in authors if row.person is not None})
    result.roles = _breakdown(ChoiceKind.role, authors, 2, questions)
    result.regions = _breakdown(ChoiceKind.region, authors, 3, questions)
    result.replies = _replies(dialogue.id)
    return result


def _series(result: Picture, per_day: dict) -> list[Series]:
    """The layers of posts per day: the most answered questions, the others, no question."""
    ranked = sorted(result.questions, key=lambda q: -q.answers)
    stacked = [q for q in ranked[:STACKED] if q.answers]
    if len([q for q in ranked if q.answers]) == STACKED + 1:
        stacked = [q for q in ranked[: STACKED + 1] if q.answers]
    keys = {q.id for q in stacked}
    stacked.sort(key=lambda q: result.questions.index(q))
    layers = [Series(q.id, gettext("Question %(code)s", code=q.code), q.code, []) for q in stacked]
    others = Series(OTHER_QUESTIONS, gettext("Other questions"), gettext("others"), [])
    none = Series(NO_QUESTION, gettext("No question"), gettext("none"), [])
    for each in result.days:
        counts = per_day.get(each, {})
        for layer in layers:
            layer.values.append(counts.get(layer.key, 0))
        others.values.append(sum(n for q, n in counts.items() if q is not None and q not in keys))
        none.values.append(counts.get(NO_QUESTION, 0))
    return [layer for layer in [*layers, others, none] if any(layer.values)]


def _breakdown(kind: ChoiceKind, authors, column: int, questions: list[Question]) -> Breakdown:
    order, labels = _choice_labels(kind)
    people: dict = defaultdict(lambda: defaultdict(set))
    posts: dict = defaultdict(lambda: defaultdict(int))
    for row in authors:
        choice = row[column] if row.person is not None else None
        for scope in (row.q, "all"):
            if row.person is not None:
                people[scope][choice].add(row.person)
            posts[scope][choice] += row.n

    def buckets(scope):
        grouping = group(people[scope], posts[scope], order) if posts[scope] else None
        return grouping and grouping.buckets

    return Breakdown(
        kind,
        labels,
        overall=buckets("all"),
        by_question=[(q, buckets(q.id)) for q in questions],
    )


def _replies(dialogue_id: int) -> Replies | None:
    """Replies between groups of declared roles, each side with at least five people a group."""
    child, parent = aliased(Post), aliased(Post)
    pairs = (
        select(
            case((child.removed_at.is_(None), child.author_id)).label("replier"),
            case((parent.removed_at.is_(None), parent.author_id)).label("answered"),
        )
        .join(parent, and_(parent.topic_id == child.topic_id, parent.id == child.parent_id))
        .where(_visible(dialogue_id, child), parent.hidden_at.is_(None))
        .subquery()
    )
    counted = (
        select(pairs.c.replier, pairs.c.answered, func.count().label("n"))
        .group_by(pairs.c.replier, pairs.c.answered)
        .subquery()
    )
    replier, answered = aliased(User), aliased(User)
    rows = db.session.execute(
        select(
            counted.c.replier,
            replier.declared_role_id,
            counted.c.answered,
            answered.declared_role_id,
            counted.c.n,
        )
        .outerjoin(replier, replier.id == counted.c.replier)
        .outerjoin(answered, answered.id == counted.c.answered)
    ).all()
    order, labels = _choice_labels(ChoiceKind.role)
    sides = [(defaultdict(set), defaultdict(int)), (defaultdict(set), defaultdict(int))]
    for row in rows:
        for (people, posts), person, role in zip(
            sides, (row[0], row[2]), (row[1], row[3]), strict=True
        ):
            role = role if person is not None else None
            if person is not None:
                people[role].add(person)
            posts[role] += row[4]
    rows_grouped, columns_grouped = (group(people, posts, order) for people, posts in sides)
    if not rows or rows_grouped is None or columns_grouped is None:
        return None
    counts: dict = defaultdict(int)
    for row in rows:
        r = rows_grouped.key_of(row[1] if row[0] is not None else None)
        c = columns_grouped.key_of(row[3] if row[2] is not None else None)
        counts[r, c] += row[4]
    return Replies(labels, rows_grouped.buckets, columns_grouped.buckets, dict(counts))


def share(part: int, whole: int) -> str:
    """A part of a whole as a percentage, as the reader's language writes one ('60 %')."""
    return format_percent(part / whole if whole else 0)


def sentences(breakdown: Breakdown) -> list[str]:
    """What a facilitator reads first: the share of the posts each declared group wrote, in the
    whole dialogue and, for each question, the group that wrote most of its answers."""
    said = []
    overall = breakdown.overall or []
    total = sum(b.count for b in overall)
    for bucket in overall:
        if isinstance(bucket.key, int):
            said.append(
                gettext(
                    "People who declared “%(group)s” (%(people)d) wrote %(share)s of the posts.",
                    group=breakdown.labels[bucket.key],
                    people=bucket.people,
                    share=share(bucket.count, total),
                )
            )
    for question, buckets in breakdown.by_question:
        groups = [b for b in buckets or [] if isinstance(b.key, int)]
        if groups:
            most = max(groups, key=lambda b: b.count)
            said.append(
                gettext(
                    "People who declared “%(group)s” wrote %(share)s of the answers to question "
                    "%(code)s.",
                    group=breakdown.labels[most.key],
                    share=share(most.count, sum(b.count for b in buckets)),
                    code=question.code,
                )
            )
    return said
