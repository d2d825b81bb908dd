"""HTTP security: response headers, one rule for every cookie, safe redirects."""

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, has_request_context, request

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


def set_security_headers(response: Response) -> Response:
    """Add the security headers to every response."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


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


def init_app(app: Flask) -> None:
    """Install the Secure-aware response class and the security headers."""
    app.response_class = SecureAwareResponse
    app.after_request(set_security_headers)
