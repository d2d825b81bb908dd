"""Site pages: the front page, the code of conduct, the health check."""
