"""Feeds: RSS 2.0 for topics, dialogues, the whole forum and the moderation log."""
