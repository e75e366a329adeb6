"""Spanwise core: models, store, import/export. Never imports Qt."""

__version__ = "0.1.0"
