"""HTTP security: response headers, one rule for every cookie, safe redirects."""

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecureAwareResponse(Response):
    """A response whose every cookie follows one rule, whoever sets it (Flask, Flask-Login, us).

    HttpOnly and SameSite=Lax always; Secure when the forum is served over HTTPS (an https
    FORUM_BASE_URL or FORUM_SECURE_COOKIES) or the request itself came over HTTPS.
    """

    def set_cookie(self, key: str, *args, **kwargs) -> None:
        kwargs["httponly"] = True
        kwargs["samesite"] = "Lax"
        if has_request_context():
            kwargs["secure"] = current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure
        super().set_cookie(key, *args, **kwargs)


_NAMES = {name.lower() for name in HEADERS}


def set_security_headers(response: Response) -> Response:
    """Add the security headers to every response (those a view did not set itself)."""
    headers = response.headers
    if _NAMES.isdisjoint(name.lower() for name, _ in headers):
        headers.extend(HEADERS)  # each header's setdefault cost a tenth of a 304
    else:
        for name, value in HEADERS.items():
            headers.setdefault(name, value)
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without their signing machinery where there is no
    session: without a session cookie, opening and saving one is making an empty dict, which
    a page answered 304 to an anonymous reader is then spared."""

    def open_session(self, app: Flask, request):
        if "HTTP_COOKIE" not in request.environ or not request.cookies.get(
            self.get_cookie_name(app)
        ):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response: Response) -> None:
        if not session and not session.modified:  # nothing to set nor to delete
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


def safe_next(target: str | None, default: str) -> str:
    """Return target if it is a path on this site, else default (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def check_csrf(app: Flask) -> None:
    """Check the CSRF token of every request that may change something (Flask-WTF's check,
    asked only for those: its own hook looks up the view's exemptions for every GET first)."""
    from forum.extensions import csrf

    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    unsafe = frozenset(app.config.get("WTF_CSRF_METHODS") or ("POST", "PUT", "PATCH", "DELETE"))

    @app.before_request
    def csrf_protect() -> None:
        if request.method in unsafe and app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect(apply_exemptions=True)


def limit_only_where_limited(app: Flask) -> None:
    """Run the rate limiter's request hooks only for views it may limit.

    Flask-Limiter runs them for every request, an exempt view's too, where they decide that
    there is nothing to do: a third of what a feed's or a page's 304 costs. A view exempt
    from every default, application and meta limit, with no limit of its own nor of its
    blueprint, skips them (decided once per view). Hooks that cannot be found stay as they are.
    """
    from flask_limiter import ExemptionScope

    from forum.extensions import limiter

    every = ExemptionScope.APPLICATION | ExemptionScope.DEFAULT | ExemptionScope.META
    decided: dict[str | None, bool] = {}

    def unlimited() -> bool:
        endpoint = request.endpoint
        if endpoint not in decided:
            manager = limiter.limit_manager
            scope = manager.exemption_scope(app, endpoint, request.blueprint)
            limits = manager.resolve_limits(app, endpoint, request.blueprint)
            decided[endpoint] = (
                endpoint is not None and (scope & every) == every and not any(limits)
            )
        return decided[endpoint]

    def skipping(hook, *, answer=False):
        if answer:
            return lambda response: response if unlimited() else hook(response)
        return lambda *args: None if unlimited() else hook(*args)

    hooks = (
        (app.before_request_funcs, lambda f: f == limiter._check_request_limit, False),
        (app.after_request_funcs, lambda f: getattr(f, "args", ())[:1] == (limiter,), True),
        (app.teardown_request_funcs, lambda f: getattr(f, "__self__", None) is limiter, False),
    )
    for registry, is_limiters, answer in hooks:
        funcs = registry.get(None, [])
        for n, func in enumerate(funcs):
            if is_limiters(func):
                funcs[n] = skipping(func, answer=answer)


def init_app(app: Flask) -> None:
    """Install the Secure-aware response class and the security headers."""
    app.response_class = SecureAwareResponse
    app.session_interface = SessionInterface()
    app.after_request(set_security_headers)
