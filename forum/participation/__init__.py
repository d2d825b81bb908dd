"""The participation picture: who takes part in a dialogue, when, and which groups answer what."""
