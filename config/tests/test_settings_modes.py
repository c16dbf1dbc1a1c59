"""Production mode refuses to start without its secrets and passes Django's deployment checks."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEY = base64.b64encode(b"k" * 32).decode()
PRODUCTION = {
    "CHUANGYE_ENV": "production",
    "CHUANGYE_SECRET_KEY": "x" * 30 + "-Production-Secret-Key-For-Tests-0123456789",
    "CHUANGYE_PII_KEYS": f"k1:{KEY}",
    "CHUANGYE_PII_INDEX_KEY": KEY,
    "CHUANGYE_ALLOWED_HOSTS": "chuangye.example.gov.cn",
    "CHUANGYE_SMS_BACKEND": "file",
}


def run_settings(
    env: dict[str, str], tmp_path: Path, code: str = "import config.settings"
) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHUANGYE_")}
    clean.update({"CHUANGYE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("missing", ["CHUANGYE_SECRET_KEY", "CHUANGYE_PII_KEYS", "CHUANGYE_PII_INDEX_KEY"])
def test_production_names_the_missing_secret(missing, tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_settings(env, tmp_path)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_the_development_key(tmp_path):
    from config import settings

    result = run_settings({**PRODUCTION, "CHUANGYE_PII_KEYS": settings._DEV_PII_KEYS}, tmp_path)
    assert result.returncode != 0
    assert "development key" in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(PRODUCTION["CHUANGYE_SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "CHUANGYE_SECRET_KEY"}
    env["CHUANGYE_SECRET_KEY_FILE"] = str(secret_file)
    expected = PRODUCTION["CHUANGYE_SECRET_KEY"]
    code = f"import config.settings as s; print(s.SECRET_KEY == {expected!r}, s.DEBUG)"
    result = run_settings(env, tmp_path, code)
    assert result.stdout.split() == ["True", "False"], result.stderr


def test_debug_is_off_unless_asked_and_never_in_production(tmp_path):
    code = "import config.settings as s; print(s.DEBUG)"
    assert run_settings({}, tmp_path, code).stdout.strip() == "False"
    assert run_settings({"CHUANGYE_DEBUG": "true"}, tmp_path, code).stdout.strip() == "True"
    assert run_settings({**PRODUCTION, "CHUANGYE_DEBUG": "true"}, tmp_path, code).stdout.strip() == "False"


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    code = (
        "import django, sys; from django.core.management import call_command; django.setup(); "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = run_settings(PRODUCTION, tmp_path, code)
    assert result.returncode == 0, result.stderr
