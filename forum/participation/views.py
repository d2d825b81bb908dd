"""The participation picture of a dialogue, and the admins' page of declarable choices."""

import time

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from forum.accounts.models import ChoiceKind
from forum.changes import Validator
from forum.dialogues.views import get_dialogue_or_404
from forum.extensions import db
from forum.forms import REFUSED
from forum.fragments import Kept
from forum.kept import conditional
from forum.participation import charts, choices, services
from forum.participation.forms import ChoiceForm
from forum.permissions import require

bp = Blueprint("participation", __name__)


# The picture is computed once and kept: its key holds everything it shows (the dialogue's
# posts through its changed_at, which every post, edit, hide and deletion moves; the choices;
# the reader's language and zone) but what people declare in their profiles, which no stamp
# records: a change of declaration shows within KEEP_SECONDS.
KEEP_SECONDS = 60
PICTURES = Kept(64)


def _period() -> int:
    return int(time.time() // KEEP_SECONDS)


# What the page shows that can change, read before it is built (forum.kept): the dialogue's
# posts (its changed_at), whether its readers may see the page, and the choices offered.
PAGE = Validator(
    """SELECT changed_at, state, readers_may_export FROM dialogue WHERE slug = :slug"""
)


def page_version(*, slug: str, user_id: int | None) -> tuple | None:
    """The page's version (None: no such dialogue): the dialogue's, the choices as they are
    named and ordered now, and the minute (what people declare moves no stamp)."""
    row = PAGE.first(slug=slug)
    if row is None:
        return None
    return (*row, _offered(), _period())


def _offered() -> tuple:
    """The choices offered, as the page shows them; read once per request (the page's version
    and its picture's key both need them)."""
    if "offered_choices" not in g:
        g.offered_choices = tuple((c.id, c.kind, c.label, c.position) for c in choices.offered())
    return g.offered_choices


@bp.get("/d/<slug>/participation")
@conditional(page_version, keep=False)
def show(slug: str):
    """Who took part in a dialogue, when, how deep the threads go and which groups answered
    what (its facilitators and moderators; its readers too once archived, if allowed)."""
    dialogue = get_dialogue_or_404(slug)
    require("harvest", dialogue)
    zone = str(get_timezone())
    key = (dialogue.id, dialogue.changed_at, str(get_locale()), zone, _offered(), _period())
    html = PICTURES.get(key, lambda: _picture_html(dialogue, zone))
    return render_template("participation/show.html", dialogue=dialogue, picture_html=html)


def _picture_html(dialogue, zone: str):
    picture = services.picture(dialogue, zone=zone)
    draw = get_template_attribute("participation/_picture.html", "picture_html")
    return draw(
        picture,
        charts.draw(picture),
        services.share,
        services.sentences(picture.roles),
        services.sentences(picture.regions),
    )


def _kind(name: str) -> ChoiceKind:
    try:
        return ChoiceKind(name)
    except ValueError:
        abort(404)


def _choice_or_404(choice_id: int):
    choice = choices.find_choice(choice_id)
    if choice is None:
        abort(404)
    return choice


def _choices_page(*, adding: dict | None = None, renaming: dict | None = None):
    """The admins' page, with the forms sent back (their text kept) where one was refused."""
    kinds = []
    for kind in ChoiceKind:
        listed = choices.choices(kind)
        forms = {c.id: ChoiceForm(prefix=f"c{c.id}", formdata=None, label=c.label) for c in listed}
        forms.update(renaming or {})
        for number, choice in enumerate(listed, start=1):
            if choice.id in forms:
                forms[choice.id].label.label.text = _("Choice %(n)d", n=number)
        add = (adding or {}).get(kind) or ChoiceForm(prefix=f"new-{kind.value}", formdata=None)
        kinds.append((kind, choices.KIND_NAMES[kind], listed, forms, add))
    refused = request.method == "POST"
    return render_template("participation/choices.html", kinds=kinds), REFUSED if refused else 200


@bp.get("/admin/profile-choices")
def choices_page():
    """The roles and regions people may declare in their profile (admins)."""
    require("administer")
    return _choices_page()


@bp.post("/admin/profile-choices/<kind>")
def add_choice(kind: str):
    """Offer a new role or region (admins)."""
    require("administer")
    kind = _kind(kind)
    form = ChoiceForm(prefix=f"new-{kind.value}")
    if form.validate_on_submit():
        try:
            choice = choices.add_choice(kind, form.label.data, by=current_user)
        except choices.ChoiceError as exc:
            db.session.rollback()
            form.label.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("“%(label)s” is added.", label=choice.label), "success")
            return redirect(url_for(".choices_page", _anchor=kind.value))
    return _choices_page(adding={kind: form})


@bp.post("/admin/profile-choices/<int:choice_id>/rename")
def rename_choice(choice_id: int):
    """Change a choice's wording (admins)."""
    require("administer")
    choice = _choice_or_404(choice_id)
    form = ChoiceForm(prefix=f"c{choice.id}")
    if form.validate_on_submit():
        try:
            choices.rename_choice(choice, form.label.data, by=current_user)
        except choices.ChoiceError as exc:
            db.session.rollback()
            form.label.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The choice is renamed “%(label)s”.", label=choice.label), "success")
            return redirect(url_for(".choices_page", _anchor=f"c{choice.id}"))
    return _choices_page(renaming={choice.id: form})


@bp.post("/admin/profile-choices/<int:choice_id>/move")
def move_choice(choice_id: int):
    """Move a choice up or down its list (admins)."""
    require("administer")
    choice = _choice_or_404(choice_id)
    step = {"up": -1, "down": 1}.get(request.form.get("step", ""))
    if step is None:
        flash(_("Choose whether to move the choice up or down."), "error")
    else:
        choices.move_choice(choice, step, by=current_user)
        db.session.commit()
    return redirect(url_for(".choices_page", _anchor=f"c{choice.id}"))


@bp.route("/admin/profile-choices/<int:choice_id>/delete", methods=["GET", "POST"])
def delete_choice(choice_id: int):
    """Withdraw a choice, after saying how many people declared it (admins)."""
    require("administer")
    choice = _choice_or_404(choice_id)
    if request.method == "POST":
        label, kind = choice.label, choice.kind
        choices.delete_choice(choice, by=current_user)
        db.session.commit()
        flash(_("“%(label)s” is deleted.", label=label), "success")
        return redirect(url_for(".choices_page", _anchor=kind.value))
    return render_template(
        "participation/delete_choice.html", choice=choice, chosen_by=choices.chosen_by(choice)
    )
