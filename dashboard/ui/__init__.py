"""Widgets: Dash components and HTML from data already fetched (no I/O)."""
