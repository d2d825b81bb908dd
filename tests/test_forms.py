"""Every form bounds its text, and the body limit holds any form the forum would accept.

So a request refused with 413 (its text lost) is always one the form would have refused anyway,
with a message and the text kept.
"""

from wtforms import FieldList, StringField
from wtforms.validators import Length

from forum.forms import Form

WORST_BYTES_PER_CHARACTER = 12  # a 4-byte UTF-8 character, each byte percent-encoded: %F0%9F...
OTHER_FIELD = 100  # a choice, a date, a number, a button: longer values are refused anyway


def forms() -> list[type[Form]]:
    found, todo = [], [Form]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        found.append(cls)
    return [cls for cls in found if cls is not Form]


def fields(form):
    for field in form:
        if isinstance(field, FieldList):
            yield from field.entries
        else:
            yield field


def longest(field) -> int | None:
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
    return min(limits) if limits else None


def worst_case_body(form) -> int:
    """The largest urlencoded body of a form that passes every length check."""
    size = len("csrf_token=") + OTHER_FIELD
    for field in fields(form):
        accepted = longest(field) if isinstance(field, StringField) else OTHER_FIELD
        size += len(field.name) + 2 + accepted * WORST_BYTES_PER_CHARACTER
    return size


def test_every_text_field_has_a_maximum_length(app):
    unbounded = []
    with app.test_request_context():
        for cls in forms():
            for field in fields(cls(meta={"csrf": False})):
                if isinstance(field, StringField) and longest(field) is None:
                    unbounded.append(f"{cls.__name__}.{field.name}")
    assert forms() and unbounded == []


def test_the_body_limit_holds_the_largest_form_the_forum_accepts(app):
    with app.test_request_context():
        sizes = {cls.__name__: worst_case_body(cls(meta={"csrf": False})) for cls in forms()}
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] < app.config["MAX_CONTENT_LENGTH"], (largest, sizes[largest])
