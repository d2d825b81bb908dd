"""The front page, the code of conduct and the health check."""


def test_code_of_conduct_in_the_readers_language(client):
    english = client.get("/code-of-conduct")
    assert english.status_code == 200
    assert "<h1>Code of conduct</h1>" in english.text
    assert "harassment" in english.text.lower()
    french = client.get("/code-of-conduct", headers={"Accept-Language": "fr"})
    assert "<h1>Code de conduite</h1>" in french.text
    spanish = client.get("/code-of-conduct", headers={"Accept-Language": "es"})
    assert "<h1>Código de conducta</h1>" in spanish.text


def test_admins_replace_the_code_of_conduct_from_the_instance_folder(app, client):
    replacement = app.instance_path + "/code_of_conduct.md"
    with open(replacement, "w", encoding="utf-8") as handle:
        handle.write("# Our network's rules\n\nBe kind. <script>alert(1)</script>\n")
    page = client.get("/code-of-conduct").text
    assert "<h1>Our network&#39;s rules</h1>" in page
    assert "Be kind. &lt;script&gt;" in page


def test_every_page_links_the_code_of_conduct(client):
    for url in ("/", "/login", "/register", "/nowhere"):
        assert 'href="/code-of-conduct"' in client.get(url).text


def test_health_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_an_admin_edits_the_code_of_conduct_per_language_with_history(app, client, create_user):
    from forum.accounts.models import Role

    create_user("nadia", role=Role.admin)
    client.login("nadia")
    page = client.get("/code-of-conduct/fr/edit").text
    assert "Code de conduite" in page or "code" in page.lower()
    response = client.submit(
        "/code-of-conduct/fr/edit",
        {
            "title": "Notre code",
            "source": "## Respect\n\nÉcoutez **d'abord**.",
            "reason": "Plus court",
        },
    )
    assert response.status_code == 302
    client.get("/language/fr")
    shown = client.get("/code-of-conduct").text
    assert "<h1>Notre code</h1>" in shown and "<strong>d'abord</strong>" in shown
    client.get("/language/en")
    assert "<h1>Notre code</h1>" not in client.get("/code-of-conduct").text
    log = client.get("/moderation/log").text
    assert "[fr] Plus court" in log
    again = client.get("/code-of-conduct/fr/edit").text
    assert "Earlier versions" in again
    assert client.get("/code-of-conduct/de/edit").status_code == 404


def test_the_code_of_conduct_needs_a_title_and_a_text(client, create_user):
    from forum.accounts.models import Role

    create_user("nadia", role=Role.admin)
    client.login("nadia")
    page = client.submit("/code-of-conduct/en/edit", {"title": "Kept title", "source": ""})
    assert page.status_code == 422 and 'value="Kept title"' in page.text


def test_every_page_has_an_icon_and_favicon_ico_finds_it(client):
    page = client.get("/").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.location == "/static/favicon.svg"
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert b"<svg" in icon.data
