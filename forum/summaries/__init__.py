"""Summaries: facilitators' syntheses pinned above a topic or a dialogue."""
