"""Following topics and dialogues, and the notices of what concerns a person."""
