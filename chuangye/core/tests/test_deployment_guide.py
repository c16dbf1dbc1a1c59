"""docs/deployment.md and deploy/ stay true of the code: every CHUANGYE_* variable is documented and none that does
not exist; the make targets and files the guide names exist; nginx adds the same security headers Django sends and
accepts the bodies the upload limit allows; the systemd units run the scripts behind `make serve` / `make worker`;
and, where nginx is installed, the site file passes `nginx -t`."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from chuangye.core.files import MAX_FILES_PER_FORM, MAX_UPLOAD_BYTES

ROOT = Path(settings.BASE_DIR)
GUIDE = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
NGINX_SITE = ROOT / "deploy" / "nginx" / "chuangye.conf"
NGINX_HEADERS = ROOT / "deploy" / "nginx" / "security-headers.conf"
SYSTEMD = ROOT / "deploy" / "systemd"
NAME = re.compile(r"CHUANGYE_[A-Z][A-Z0-9_]*[A-Z0-9]")


def variables_in_code() -> set[str]:
    """Every CHUANGYE_* variable the platform reads: settings (env_* and _secret), gunicorn, and any module or
    production script that reads one directly."""
    names: set[str] = set()
    settings_py = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    names |= {
        f"CHUANGYE_{n}" for n in re.findall(r'(?:env_(?:str|bool|int|list)|_secret)\(\s*"([A-Z0-9_]+)"', settings_py)
    }
    names |= set(NAME.findall((ROOT / "config" / "gunicorn.conf.py").read_text(encoding="utf-8")))
    for path in (ROOT / "chuangye").rglob("*.py"):
        if "tests" in path.parts or path.name in ("testing.py", "conftest.py"):
            continue
        names |= set(NAME.findall(path.read_text(encoding="utf-8")))
    for script in ("serve.sh", "worker.sh", "backup.sh", "restore.sh"):
        names |= set(NAME.findall((ROOT / "scripts" / script).read_text(encoding="utf-8")))
    return {n for n in names if not n.endswith("_FILE")}


def test_the_guide_lists_every_variable_the_platform_reads():
    documented = set(NAME.findall(GUIDE))
    missing = variables_in_code() - documented
    assert not missing, f"add to docs/deployment.md §2.3: {sorted(missing)}"


def test_the_guide_and_the_examples_name_no_variable_that_does_not_exist():
    known = variables_in_code()
    texts = {"docs/deployment.md": GUIDE}
    texts.update({f"deploy/systemd/{p.name}": p.read_text(encoding="utf-8") for p in SYSTEMD.iterdir()})
    for where, text in texts.items():
        for name in set(NAME.findall(text)):
            base = name.removesuffix("_FILE")
            assert base in known, f"{where} names {name}, which the platform does not read"


def test_the_variable_table_has_one_row_per_variable():
    rows = re.findall(r"^\| `(CHUANGYE_[A-Z0-9_]+)` \|", GUIDE, flags=re.MULTILINE)
    assert len(rows) == len(set(rows))
    assert set(rows) == variables_in_code()


def test_every_make_target_and_file_the_guide_names_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    commands = re.findall(r"(?:^\s*|`|&& |-- )make ([a-z][a-z-]+)", GUIDE, flags=re.MULTILINE)
    assert {"migrate", "serve", "worker", "drill", "test-scale"} <= set(commands)
    for target in set(commands):
        assert target in targets, f"docs/deployment.md runs `make {target}`, which the Makefile does not have"
    for path in set(
        re.findall(r"(?<![/\w.])((?:scripts|deploy|config|chuangye|bench|docs)/[A-Za-z0-9_./-]*[A-Za-z0-9_])", GUIDE)
    ):
        assert (ROOT / path).exists(), f"docs/deployment.md names {path}, which does not exist"


def test_make_serve_and_make_worker_run_the_scripts_the_units_run():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^serve:.*\n\tPY=\$\(PY\) bash scripts/serve\.sh$", makefile, flags=re.MULTILINE)
    assert re.search(r"^worker:.*\n\tPY=\$\(PY\) bash scripts/worker\.sh$", makefile, flags=re.MULTILINE)
    web = (SYSTEMD / "chuangye-web.service").read_text(encoding="utf-8")
    worker = (SYSTEMD / "chuangye-worker.service").read_text(encoding="utf-8")
    backup = (SYSTEMD / "chuangye-backup.service").read_text(encoding="utf-8")
    assert "ExecStart=/bin/bash /opt/chuangye/scripts/serve.sh" in web
    assert "ExecStart=/bin/bash /opt/chuangye/scripts/worker.sh" in worker
    assert "/opt/chuangye/scripts/backup.sh" in backup
    for unit in (web, worker, backup):
        # Every credential loaded is handed to the platform in its _FILE form, and the other way round.
        loaded = set(re.findall(r"^LoadCredential=([a-z_]+):", unit, flags=re.MULTILINE))
        handed = {
            (name, cred) for name, cred in re.findall(r"^Environment=(CHUANGYE_[A-Z_]+)_FILE=%d/([a-z_]+)$", unit, re.M)
        }
        assert loaded == {cred for _, cred in handed} == {"secret_key", "pii_keys", "pii_index_key"}
        assert all(name == f"CHUANGYE_{cred.upper()}" for name, cred in handed)
        # scripts/serve.sh checks CHUANGYE_DATABASE_URL itself, so the URL comes as a variable (root-only file).
        assert "CHUANGYE_DATABASE_URL:-" in (ROOT / "scripts" / "serve.sh").read_text(encoding="utf-8")
        assert "EnvironmentFile=/etc/chuangye/chuangye.env" in unit
        assert "EnvironmentFile=/etc/chuangye/secrets/database.env" in unit


def _nginx_headers() -> dict[str, str]:
    text = NGINX_HEADERS.read_text(encoding="utf-8")
    return {name.lower(): value for name, value in re.findall(r'^add_header (\S+) "([^"]*)" always;$', text, re.M)}


def _csp(value: str) -> set[str]:
    return {part.strip() for part in value.split(";") if part.strip()}


@pytest.mark.django_db
def test_nginx_adds_the_security_headers_django_sends(client):
    response = client.get("/login/", secure=True)
    assert response.status_code == 200
    nginx = _nginx_headers()
    assert _csp(nginx.pop("content-security-policy")) == _csp(response.headers["Content-Security-Policy"])
    settings_py = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    hsts_seconds = re.search(r'env_int\("HSTS_SECONDS", (\d+)\)', settings_py)
    assert hsts_seconds and "SECURE_HSTS_INCLUDE_SUBDOMAINS = True" in settings_py
    assert "SECURE_HSTS_PRELOAD = True" in settings_py
    assert nginx.pop("strict-transport-security") == f"max-age={hsts_seconds.group(1)}; includeSubDomains; preload"
    for name, value in nginx.items():
        assert response.headers[name] == value, name
    assert set(nginx) == {"x-frame-options", "x-content-type-options", "referrer-policy", "cross-origin-opener-policy"}


def _block(text: str, opening: str) -> str:
    start = text.index(opening)
    depth, i = 0, start
    while True:
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
        i += 1


def test_the_nginx_site_proxies_without_repeating_headers_and_serves_what_it_should():
    site = NGINX_SITE.read_text(encoding="utf-8")
    proxied = re.sub(r"#.*", "", _block(site, "location / {"))
    assert "add_header" not in proxied and "include" not in proxied  # Django's headers, not repeated
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in proxied
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in proxied
    static = _block(site, "location /static/ {")
    assert "include /etc/nginx/snippets/chuangye-security-headers.conf;" in static
    static_root = Path(settings.STATIC_ROOT)
    assert static_root.name == "static" and "alias /var/lib/chuangye/static/;" in static
    assert "CHUANGYE_VAR_DIR=/var/lib/chuangye" in (SYSTEMD / "chuangye.env").read_text(encoding="utf-8")
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in site
    assert len(re.findall(r"server 10\.0\.0\.\d+:8000", _block(site, "upstream chuangye_app {"))) >= 2


def test_client_max_body_size_follows_the_upload_limit():
    # A form carries at most MAX_FILES_PER_FORM attachments, each at most MAX_UPLOAD_BYTES, plus 1 MB of fields.
    expected_mb = MAX_FILES_PER_FORM * MAX_UPLOAD_BYTES // (1024 * 1024) + 1
    sizes = re.findall(r"client_max_body_size (\d+)m;", NGINX_SITE.read_text(encoding="utf-8"))
    assert sizes == [str(expected_mb)]
    assert f"client_max_body_size {expected_mb}m" in GUIDE


@pytest.mark.skipif(shutil.which("nginx") is None or shutil.which("openssl") is None, reason="nginx not installed")
def test_the_nginx_site_passes_nginx_t(tmp_path):
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=chuangye.test"),
            *("-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")),
        ],
        check=True,
        capture_output=True,
    )
    (tmp_path / "log").mkdir()
    (tmp_path / "static").mkdir()
    site = NGINX_SITE.read_text(encoding="utf-8")
    for old, new in {
        "/etc/nginx/tls/chuangye.example.gov.cn.fullchain.pem": tmp_path / "cert.pem",
        "/etc/nginx/tls/chuangye.example.gov.cn.key": tmp_path / "key.pem",
        "/etc/nginx/snippets/chuangye-security-headers.conf": NGINX_HEADERS,
        "/var/log/nginx": tmp_path / "log",
        "/var/lib/chuangye/static/": f"{tmp_path / 'static'}/",
    }.items():
        assert old in site
        site = site.replace(old, str(new))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/log/error.log;\nevents {{}}\n"
        f"http {{ {mime} include {tmp_path}/site.conf; }}\n",
        encoding="utf-8",
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],  # noqa: S607 - installed nginx
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_the_systemd_units_verify(tmp_path):
    for unit in SYSTEMD.glob("chuangye-*"):
        shutil.copy(unit, tmp_path / unit.name)
    for unit in sorted(tmp_path.iterdir()):
        result = subprocess.run(  # noqa: S603 - fixed arguments
            ["systemd-analyze", "verify", str(unit)],  # noqa: S607 - installed systemd
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0 and "chuangye" not in result.stderr, (unit.name, result.stderr)
