"""Accounts: registration, login, profiles and passwords."""
