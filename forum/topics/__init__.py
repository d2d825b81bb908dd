"""Topics: opening one with prompt questions, reading it threaded or flat, editing it."""
