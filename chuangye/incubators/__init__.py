"""Incubators and shared resources (plan 7)."""
