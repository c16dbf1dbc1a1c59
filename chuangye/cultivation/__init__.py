"""Nurturing founders: programmes, risk assessment, simulation, competitions (plan 2)."""
