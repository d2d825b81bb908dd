"""Friendly error pages in the site's layout."""

from forum.extensions import db


def test_not_found_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'href="/"' in response.text


def test_method_not_allowed_keeps_the_allow_header(client):
    response = client.delete("/login")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "This page cannot be used this way." in response.text


def test_too_large_upload(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/login", data={"login": "x" * 5000})
    assert response.status_code == 413
    assert "larger than the forum accepts" in response.text


def test_server_error_page_rolls_back_and_shows_no_trace(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        db.session.execute(db.text("SELECT * FROM no_such_table"))

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "Traceback" not in response.text
    assert "no_such_table" not in response.text


def test_errors_are_translated(client):
    response = client.get("/nowhere", headers={"Accept-Language": "es"})
    assert "Página no encontrada" in response.text
