"""Workbench routes for registry import and export (kept apart so they can grow without crowding urls.py)."""

urlpatterns: list = []
