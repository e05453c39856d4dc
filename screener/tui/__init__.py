"""The Textual screening app: a thin client over ``screener.screening``."""
