"""Flexible employment (plan 8)."""
