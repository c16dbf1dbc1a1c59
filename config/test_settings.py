"""Test settings: the base settings plus fast hashing and an in-memory mailbox.

The time zone stays Asia/Shanghai on purpose, so that UTC-versus-local mistakes show up in tests.
"""

import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import PASSWORD_HASHERS

# Argon2 at full cost makes the suite slow; the production hasher list is tested separately.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "memory"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Uploads in tests go to a throwaway directory, never into var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="chuangye-test-media-"))
# Tasks run in the test's own process; the queue backends are exercised by `make test-scale`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
