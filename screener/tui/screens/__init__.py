"""Screens and modals of the screening app, one per module."""
