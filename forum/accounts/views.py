"""Pages for registering, logging in and out, and profiles."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from forum.accounts import archive, deletion, services
from forum.accounts.forms import (
    ArchiveForm,
    DeleteAccountForm,
    EmailChangeForm,
    ForgotPasswordForm,
    LoginForm,
    PasswordForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from forum.accounts.models import ChoiceKind
from forum.clock import shown, utcnow
from forum.extensions import db, limiter, login_manager
from forum.forms import form_page
from forum.notifications import services as notifications
from forum.participation import choices
from forum.security import safe_next

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"
login_manager.user_loader(services.load_user)
LOGIN_HINT = "login_hint"  # the username just registered, to fill in the login form


def _login_key() -> str:
    # Failures count per account and client address: a stranger elsewhere cannot lock the
    # owner out. The account is resolved, so its username and its email share one count.
    login = request.form.get("login", "")
    user = services.find_by_login(login)
    account = f"user:{user.id}" if user else "name:" + login.strip().casefold()
    return f"login:{account}:{get_remote_address()}"


def _reset_key() -> str:
    # One count per address, whoever asks: nobody can fill a person's mailbox with links.
    return "reset:" + request.form.get("email", "").strip().casefold()


def _login_failed(response) -> bool:
    return response.status_code != 302


def _next_page() -> str:
    return safe_next(request.args.get("next"), url_for("pages.index"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTER"], methods=["POST"])
def register():
    """Create an account, accepting the code of conduct, then send the person to log in."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register(
                username=form.username.data,
                email=form.email.data,
                password=form.password.data,
                display_name=form.display_name.data,
                language=str(get_locale()),
            )
        except services.AccountError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            # The same answer whether or not the address had an account, so that nobody learns
            # who is a member; the login form is filled in for the newcomer.
            session[LOGIN_HINT] = form.username.data.strip()
            flash(
                _(
                    "Thank you. We have sent a message to this address. Unless this email "
                    "address already had an account, yours is ready: log in below."
                ),
                "info",
            )
            warn_if_staff_look_alike(form.display_name.data)
            return redirect(url_for(".login", next=request.args.get("next")))
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
    form = LoginForm(login=session.pop(LOGIN_HINT, None))
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is None:
            form.form_errors.append(_("Wrong username or password."))
        elif user.is_suspended:
            form.form_errors.append(suspension_message(user))
        else:
            # A new login starts from an empty session: a new CSRF token, nothing from before.
            session.clear()
            services.start_session(user)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(_next_page())
    return form_page("accounts/login.html", form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_RESET"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_RESET_ADDRESS"], key_func=_reset_key, methods=["POST"]
)
def forgot_password():
    """Ask for a link to choose a new password, mailed to the account's address."""
    if current_user.is_authenticated:
        return redirect(url_for(".change_password"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, language=str(get_locale()))
        db.session.commit()
        # The same answer whether or not the address has an account.
        flash(
            _(
                "If an account has this address, a link to choose a new password is on its "
                "way to it. The link works once, for one hour."
            ),
            "info",
        )
        return redirect(url_for(".login"))
    return form_page("accounts/forgot_password.html", form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_RESET"], methods=["POST"])
def reset_password(token: str):
    """Choose a new password through a mailed link; every login of the person ends."""
    user = services.user_for_reset(token)
    if user is None:
        return render_template("accounts/reset_link_dead.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        db.session.commit()
        logout_user()
        session[LOGIN_HINT] = user.username
        flash(
            _("Your password is changed and you are logged out everywhere: log in with it."),
            "success",
        )
        return redirect(url_for(".login"))
    return form_page("accounts/reset_password.html", form)


@bp.get("/email/confirm/<token>")
def confirm_email(token: str):
    """Confirm an email address through the link mailed to it."""
    user = services.confirm_email(token)
    if user is None:
        return render_template("accounts/confirm_link_dead.html"), 404
    db.session.commit()
    flash(_("Your email address is confirmed. Thank you."), "success")
    if current_user.is_authenticated:
        return redirect(url_for(".edit_profile"))
    return redirect(url_for(".login"))


@bp.route("/profile/email", methods=["GET", "POST"])
@login_required
def change_email():
    """Change one's email address; the new one is confirmed by a mailed link."""
    form = EmailChangeForm()
    if form.validate_on_submit():
        if services.authenticate(current_user.username, form.current_password.data) is None:
            form.current_password.errors.append(_("This is not your current password."))
        else:
            try:
                services.change_email(current_user, form.email.data, language=str(get_locale()))
            except services.AccountError as exc:
                db.session.rollback()
                form.email.errors.append(str(exc))
            else:
                db.session.commit()
                flash(_confirmation_sent(), "success")
                return redirect(url_for(".edit_profile"))
    return form_page("accounts/change_email.html", form)


@bp.post("/profile/email/confirm")
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_RESET"])
def resend_confirmation():
    """Mail one's address a new confirmation link."""
    if not current_user.has_confirmed_email:
        services.send_email_confirmation(current_user, language=str(get_locale()))
        db.session.commit()
        flash(_confirmation_sent(), "success")
    return redirect(url_for(".edit_profile"))


def _confirmation_sent() -> str:
    return _(
        "We have mailed %(address)s a link to confirm it. Until you follow it, the forum mails "
        "you nothing but such links.",
        address=current_user.email,
    )


def warn_if_staff_look_alike(name: str, *, user=None) -> None:
    """Warn a person whose display name readers could take for a moderator's or an admin's."""
    look_alikes = services.staff_look_alikes(name, user=user)
    if look_alikes:
        flash(
            _(
                "Readers could mistake your display name for that of %(names)s, of the forum's "
                "moderation team. Please consider a name of your own.",
                names=", ".join(look_alikes),
            ),
            "error",
        )


def suspension_message(user) -> str:
    """Tell a suspended person why, and until when."""
    if user.suspended_until:
        return _(
            "Your account is suspended until %(until)s: %(reason)s",
            until=shown(user.suspended_until),
            reason=user.suspension_reason,
        )
    return _("Your account is suspended: %(reason)s", reason=user.suspension_reason)


@bp.post("/logout")
def logout():
    """Log out, ending this login for good, and return to the front page."""
    if current_user.is_authenticated:
        services.end_session(current_user.session_token)
        db.session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("pages.index"))


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere():
    """End every login of the person, on every device, this one included."""
    services.end_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(_("You have logged out on every device."), "info")
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
        try:
            choices.declare(
                current_user,
                role_id=form.declared(form.declared_role_id),
                region_id=form.declared(form.declared_region_id),
            )
        except choices.ChoiceError as exc:
            db.session.rollback()
            field = (
                form.declared_region_id if exc.kind is ChoiceKind.region else form.declared_role_id
            )
            field.errors.append(str(exc))
            return form_page("accounts/edit_profile.html", form)
        services.update_profile(
            current_user,
            display_name=form.display_name.data,
            organisation=form.organisation.data,
            country=form.country.data,
            bio=form.bio.data,
            locale=form.locale.data,
            timezone=form.timezone.data,
        )
        services.set_opens_noted_posts(current_user, form.opens_noted_posts.data)
        notifications.set_settings(
            current_user,
            follows_own_topics=form.follows_own_topics.data,
            mail_mode=form.mail_mode.data,
        )
        db.session.commit()
        refresh()  # the confirmation speaks the language just chosen
        flash(_("Your profile is saved."), "success")
        warn_if_staff_look_alike(current_user.display_name, user=current_user)
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
            services.set_password(
                current_user, form.password.data, keep_session=current_user.session_token
            )
            db.session.commit()
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for(".edit_profile"))
    return form_page("accounts/change_password.html", form)


def _password_guesses():
    """Asking for one's password again counts wrong answers per account, like logging in."""
    return limiter.limit(
        lambda: current_app.config["RATELIMIT_LOGIN_ACCOUNT"],
        key_func=lambda: f"password:{current_user.get_id() and current_user.id}",
        methods=["POST"],
        deduct_when=lambda response: response.status_code == 422,
    )


@bp.route("/profile/data", methods=["GET", "POST"])
@login_required
@_password_guesses()
def my_data():
    """Download everything the forum holds about oneself, as a zip of JSON and Markdown."""
    form = ArchiveForm()
    if form.validate_on_submit():
        if services.authenticate(current_user.username, form.current_password.data) is None:
            form.current_password.errors.append(_("This is not your current password."))
        else:
            name = f"dialogue-forum-{current_user.username}-{utcnow():%Y-%m-%d}.zip"
            return Response(
                archive.archive(current_user),
                mimetype="application/zip",
                headers={
                    "Content-Disposition": f'attachment; filename="{name}"',
                    "Cache-Control": "no-store",
                },
            )
    return form_page("accounts/my_data.html", form)


@bp.route("/profile/delete", methods=["GET", "POST"])
@login_required
@_password_guesses()
def delete_account():
    """Delete one's account: personal data erased at once, posts kept unnamed or removed."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if services.authenticate(current_user.username, form.current_password.data) is None:
            form.current_password.errors.append(_("This is not your current password."))
        else:
            try:
                deletion.delete_account(current_user, posts=deletion.Posts(form.posts.data))
            except deletion.DeletionRefused as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                logout_user()
                session.clear()
                flash(_("Your account is deleted. Thank you for taking part."), "info")
                return redirect(url_for("pages.index"))
    return form_page("accounts/delete.html", form)
