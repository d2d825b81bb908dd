"""The roles and regions admins offer, and what people declare with them in their profile."""

import pytest
from sqlalchemy import select

from forum.accounts.models import ChoiceKind, ProfileChoice, Role
from forum.accounts.services import find_by_username
from forum.extensions import db
from forum.participation.choices import choices


@pytest.fixture
def admin(app, create_user, add_choices):
    create_user("nadia", role=Role.admin, display_name="Nadia Haddad")
    ids = add_choices()
    client = app.test_client()
    client.login("nadia")
    return client, ids


def labels(app, kind=ChoiceKind.role):
    with app.app_context():
        return [c.label for c in choices(kind)]


@pytest.mark.parametrize(("typed", "message"), [
    ("   ", "Write the choice's label."),
    ("male ALLY", "There is already a choice with this label."),
    ("x" * 81, "A label has at most 80 characters."),
])  # fmt: skip
def test_a_refused_label_comes_back_with_a_message_and_the_text_typed(app, admin, typed, message):
    client, ids = admin
    page = "/admin/profile-choices"
    added = client.submit(f"{page}/role", {"new-role-label": typed}, page=page)
    assert added.status_code == 422
    assert message in added.text and f'value="{typed}"' in added.text
    renamed = client.submit(
        f"{page}/{ids['Woman peacemaker']}/rename", {f"c{ids['Woman peacemaker']}-label": typed},
        page=page,
    )  # fmt: skip
    assert renamed.status_code == 422
    assert message in renamed.text and f'value="{typed}"' in renamed.text
    assert labels(app) == ["Woman peacemaker", "Male ally", "UN agency"]


def test_admins_add_rename_reorder_and_delete_choices(app, admin, create_user):
    client, ids = admin
    page = "/admin/profile-choices"
    assert (
        client.submit(
            f"{page}/region", {"new-region-label": " Asia  Pacific "}, page=page
        ).status_code
        == 302
    )
    assert labels(app, ChoiceKind.region) == ["Africa", "Latin America", "Asia Pacific"]
    ally = ids["Male ally"]
    client.submit(f"{page}/{ally}/rename", {f"c{ally}-label": "Man ally"}, page=page)
    client.submit(f"{page}/{ally}/move", {"step": "up"}, page=page)
    assert labels(app) == ["Man ally", "Woman peacemaker", "UN agency"]
    create_user("babar")
    with app.app_context():
        find_by_username("babar").declared_role_id = ally
        db.session.commit()
    confirm = client.get(f"{page}/{ally}/delete")
    assert "1 person chose it" in confirm.text
    assert client.submit(f"{page}/{ally}/delete", page=f"{page}/{ally}/delete").status_code == 302
    assert labels(app) == ["Woman peacemaker", "UN agency"]
    with app.app_context():
        assert find_by_username("babar").declared_role_id is None
    assert client.submit(f"{page}/{ally}/move", {"step": "up"}, page=page).status_code == 404


def test_people_declare_a_role_and_a_region_if_they_wish(app, admin, create_user):
    _, ids = admin
    create_user("amina", display_name="Amina Diallo")
    client = app.test_client()
    client.login("amina")
    form = client.get("/profile").text
    assert "Prefer not to say" in form and "never beside your name" in form
    assert "at least 5 people" in form
    fields = {"display_name": "Amina Diallo", "mail_mode": "daily"}
    saved = client.submit("/profile", {**fields, "declared_role_id": str(ids["UN agency"]),
                                       "declared_region_id": ""})  # fmt: skip
    assert saved.status_code == 302
    with app.app_context():
        amina = find_by_username("amina")
        assert (amina.declared_role_id, amina.declared_region_id) == (ids["UN agency"], None)
    assert "UN agency" not in client.get("/u/amina").text  # never beside the name
    gone = client.submit("/profile", {**fields, "declared_role_id": "99999", "bio": "Kept."})
    assert gone.status_code == 422
    assert "This choice no longer exists" in gone.text and "Kept.</textarea>" in gone.text
    with app.app_context():
        assert db.session.scalar(select(ProfileChoice.id).where(ProfileChoice.id == 99999)) is None
        assert find_by_username("amina").declared_role_id == ids["UN agency"]
