"""Accounts: registration, login, profiles and passwords."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from forum.accounts import services
from forum.extensions import login_manager

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"
login_manager.user_loader(services.load_user)

from forum.accounts import views  # noqa: E402, F401
