"""Project-wide test set-up: a deterministic Hypothesis profile and no network."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "chuangye",
    deadline=None,  # shared, noisy machines: never fail a property on time
    max_examples=100,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
settings.load_profile("chuangye")
