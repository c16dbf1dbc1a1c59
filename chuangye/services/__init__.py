"""Public entrepreneurship services (plan 3)."""
