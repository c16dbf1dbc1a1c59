"""Entrepreneurship training (plan 4)."""
