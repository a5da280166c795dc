"""The Textual app (see tui/app.py)."""
