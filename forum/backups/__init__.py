"""Backups: `forum backup` copies the database out, `forum restore` puts a SQLite copy back."""
