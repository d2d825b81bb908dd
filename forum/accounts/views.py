"""Pages for registering, logging in and out, and profiles."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, refresh
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from forum.accounts import services
from forum.accounts.forms import LoginForm, PasswordForm, ProfileForm, RegisterForm
from forum.extensions import db, limiter, login_manager
from forum.forms import form_page
from forum.security import safe_next

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"
login_manager.user_loader(services.load_user)


def _login_key() -> str:
    return "login:" + request.form.get("login", "").strip().casefold()


def _login_failed(response) -> bool:
    return response.status_code != 302


def _next_page() -> str:
    return safe_next(request.args.get("next"), url_for("pages.index"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTER"], methods=["POST"])
def register():
    """Create an account, accepting the code of conduct, and log in."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = services.create_user(
            username=form.username.data,
            email=form.email.data,
            password=form.password.data,
            display_name=form.display_name.data,
        )
        db.session.commit()
        login_user(user)
        flash(_("Welcome, %(name)s. Your account is ready.", name=user.display_name), "success")
        return redirect(_next_page())
    return form_page("accounts/register.html", form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN_ACCOUNT"],
    key_func=_login_key,
    methods=["POST"],
    deduct_when=_login_failed,
)
def login():
    """Log in with a username or an email address."""
    if current_user.is_authenticated:
        return redirect(_next_page())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is None:
            form.form_errors.append(_("Wrong username or password."))
        elif user.is_suspended:
            form.form_errors.append(suspension_message(user))
        else:
            login_user(user, remember=form.remember.data)
            return redirect(_next_page())
    return form_page("accounts/login.html", form)


def suspension_message(user) -> str:
    """Tell a suspended person why, and until when."""
    if user.suspended_until:
        return _(
            "Your account is suspended until %(until)s: %(reason)s",
            until=format_datetime(user.suspended_until),
            reason=user.suspension_reason,
        )
    return _("Your account is suspended: %(reason)s", reason=user.suspension_reason)


@bp.post("/logout")
def logout():
    """Log out and return to the front page."""
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("pages.index"))


@bp.get("/u/<username>")
def profile(username: str):
    """Show a person's public profile."""
    user = services.find_by_username(username)
    if user is None:
        abort(404)
    if user.username != username:
        return redirect(url_for(".profile", username=user.username), 301)
    return render_template("accounts/profile.html", user=user)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Edit one's own profile."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            display_name=form.display_name.data,
            organisation=form.organisation.data,
            country=form.country.data,
            bio=form.bio.data,
            locale=form.locale.data,
        )
        db.session.commit()
        refresh()  # the confirmation speaks the language just chosen
        flash(_("Your profile is saved."), "success")
        return redirect(url_for(".profile", username=current_user.username))
    return form_page("accounts/edit_profile.html", form)


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's password; other sessions are logged out."""
    form = PasswordForm()
    if form.validate_on_submit():
        if services.authenticate(current_user.username, form.current_password.data) is None:
            form.current_password.errors.append(_("This is not your current password."))
        else:
            services.set_password(current_user, form.password.data)
            db.session.commit()
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for(".edit_profile"))
    return form_page("accounts/change_password.html", form)
