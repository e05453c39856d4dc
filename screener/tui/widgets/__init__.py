"""Widgets of the screening app, one per module."""
