"""What the forum keeps about people: never their network address, in any table."""

from sqlalchemy import JSON, Enum, String, Text, cast, inspect, select

from forum.extensions import db

ADDRESS = "203.0.113.77"  # a documentation address (RFC 5737), unlike any other value


def test_no_table_keeps_a_client_address(app, client, dialogue_setup, create_post):
    client.environ_base["REMOTE_ADDR"] = ADDRESS
    headers = {"X-Forwarded-For": ADDRESS, "X-Real-IP": ADDRESS}
    register = client.submit(
        "/register",
        {
            "username": "newcomer", "display_name": "New Comer", "email": "new@example.org",
            "password": "a long enough password", "password2": "a long enough password",
            "accept_code": "y",
        },
        headers=headers,
    )  # fmt: skip
    assert register.status_code == 302
    client.get("/logout")
    client.submit("/password/forgot", {"email": "amina@example.org"}, headers=headers)
    assert client.login("amina", headers=headers).status_code == 302
    topic = dialogue_setup.topic
    page = f"/t/{topic.id}/reply"
    assert client.submit(page, {"body": "From somewhere."}, headers=headers).status_code == 302
    post = create_post(topic, by="babar")
    report = f"/p/{post.id}/report"
    client.submit(report, {"reason": "spam", "note": "Odd."}, headers=headers)
    client.submit(f"/t/{topic.id}/follow", page=topic.url, headers=headers)

    with app.app_context():
        found = []
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, JSON):
                    value = cast(column, Text)
                elif isinstance(column.type, String | Text) and not isinstance(column.type, Enum):
                    value = column
                else:
                    continue
                if db.session.scalars(select(value).where(value.contains(ADDRESS))).first():
                    found.append(f"{table.name}.{column.name}")
        assert inspect(db.engine).get_table_names()  # the walk read a real schema
    assert found == []
