"""Conclusions: what a facilitator concludes under each prompt question of a topic."""
