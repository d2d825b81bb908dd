"""Dialogues: the front page's list, a dialogue's page of topics, and their administration."""
