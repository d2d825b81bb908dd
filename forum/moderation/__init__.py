"""Moderation: locks, hidden posts and the public moderation log."""
