"""Friendly error pages."""

from flask import Flask, Response, make_response, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from forum.extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("There is no page at this address. It may have moved.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    413: (_l("Too large"), _l("What you sent is larger than the forum accepts.")),
    429: (
        _l("Too many attempts"),
        _l("You have tried this too often in a short time. Please wait a minute and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("The forum could not complete this request. Please try again in a moment."),
    ),
}
HIDDEN_FIELDS = ("csrf_token", "password")
API = "/api/"  # errors there are answered as JSON (forum.api)


def render_error(error: HTTPException):
    """Render an HTTP error as a page in the site's layout (as JSON under /api/)."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    title, message = MESSAGES.get(code, MESSAGES[500])
    if code < 500 and error.description != type(error).description:
        message = error.description  # what the view said was wrong (abort(404, "..."))
    if request.path.startswith(API):
        from forum.api.views import answer_error

        response = answer_error(code, error.description)
    elif request_ctx.url_adapter is None:
        # The Host header was unusable, so no link of the page can be built: say it plainly.
        return Response(f"{title}\n\n{message}\n", code, mimetype="text/plain")
    else:
        response = make_response(
            render_template("errors/error.html", code=code, title=title, message=message), code
        )
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def render_csrf_error(_error: CSRFError):
    """Explain an expired form and give back what the person typed."""
    typed = [
        (name, value)
        for name, value in request.form.items()
        if value.strip() and not any(hidden in name for hidden in HIDDEN_FIELDS)
    ]
    return render_template("errors/csrf.html", typed=typed, back=request.path), 400


def init_app(app: Flask) -> None:
    """Register the error pages."""
    for code in MESSAGES:
        app.register_error_handler(code, render_error)
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(InternalServerError, render_error)
