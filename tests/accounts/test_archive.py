"""One's own data: the archive a person downloads holds everything about them, and only that."""

import io
import json
import zipfile

from sqlalchemy import func, select

from forum.accounts.services import find_by_username
from forum.extensions import db
from forum.posts.models import Post
from tests.conftest import PASSWORD


def _download(app, password: str = PASSWORD):
    client = app.test_client()
    client.login("zqxperson")
    return client.submit("/profile/data", {"current_password": password})


def _read(response) -> tuple[dict, str]:
    bundle = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(bundle.namelist()) == ["data.json", "posts.md"]
    return json.loads(bundle.read("data.json")), bundle.read("posts.md").decode()


def test_the_archive_holds_everything_about_the_person(app, world):
    response = _download(app)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data, posts = _read(response)
    profile = data["profile"]
    assert profile["display_name"] == "Zoraida Quillfeather"
    assert profile["email"] == "zqxperson@example.org" and profile["country"] == "KE"
    assert "password_hash" not in profile
    with app.app_context():
        uid = find_by_username("zqxperson").id
        written = db.session.scalar(select(func.count()).where(Post.author_id == uid))
    assert len(data["posts"]) == written == 3
    edited = next(p for p in data["posts"] if p["id"] == world.words.id)
    assert edited["body_source"] == "Zq words about the river."
    assert edited["subject"] == "Zq subject" and edited["url"].endswith(f"/p/{world.words.id}")
    assert [v["body_source"] for v in edited["earlier_versions"]] == [
        "Zq before the edit, a draft."
    ]
    hidden = next(p for p in data["posts"] if p["hidden"])
    assert hidden["hidden"]["hidden_reason"] == "Unkind."
    assert data["reports_made"][0]["note"] == "Zq report note"
    assert data["appeals_made"][0]["statement"] == "Zq appeal statement"
    assert [a["action"] for a in data["moderation_concerning_you"]] == ["hide", "appeal"]
    assert data["pseudonyms"] == [
        {"dialogue": "Safe room", "number": 2, "chosen_name": "Moonflower"}
    ]
    assert len(data["facilitates"]) == 1 and data["follows"] and data["notifications"]
    assert len(data["logins"]) == 1 and set(data["logins"][0]) == {"created_at", "expires_at"}
    assert "Zq words about the river." in posts and "Zq before the edit, a draft." in posts
    assert "Zq secret words." in posts


def test_the_archive_holds_nobody_elses_account(app, world):
    data, posts = _read(_download(app))
    archive = json.dumps(data) + posts
    for other in ("grace", "Grace Mutesi", "otto@example.org", "Otto Brandt", "lucia@"):
        assert other not in archive


def test_the_archive_asks_for_the_password(app, world):
    refused = _download(app, "not my password")
    assert refused.status_code == 422 and refused.mimetype == "text/html"
    assert "This is not your current password." in refused.text
    page = app.test_client().get("/profile/data")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_an_admin_exports_a_persons_data_from_the_command_line(app, world, tmp_path):
    target = tmp_path / "zq.zip"
    result = app.test_cli_runner().invoke(
        args=["user", "export", "zqxperson", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(zipfile.ZipFile(target).read("data.json"))
    assert data["profile"]["username"] == "zqxperson" and len(data["posts"]) == 3
