"""Backup, restore and the restore drill.

The end-to-end tests run the real commands in subprocesses against SQLite files in a temporary directory: a source
database (migrated, demo data for a few dozen people, sample uploaded files) is backed up and restored into a
scratch database once per module; each tampering test then works on its own copy of the restored scratch database
and media directory and shows that ``drill_check`` fails, naming what differs. The PostgreSQL path of the same
commands is exercised by ``scripts/drill.sh postgres`` (``make drill``).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangye.core import backup
from chuangye.core.audit import record_event
from chuangye.core.files import attachment_create

ROOT = Path(__file__).resolve().parents[3]
PDF = b"%PDF-1.4\n% chuangye drill test\n%%EOF\n"


@dataclass
class Site:
    """One database file and its media directory, as the CHUANGYE_* environment a command runs with."""

    base: Path

    @property
    def database(self) -> Path:
        return self.base / "chuangye.sqlite3"

    @property
    def media(self) -> Path:
        return self.base / "media"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHUANGYE_")}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            CHUANGYE_VAR_DIR=str(self.base),
            CHUANGYE_MEDIA_ROOT=str(self.media),
            CHUANGYE_DATABASE_URL=f"sqlite:///{self.database}",
            CHUANGYE_SMS_BACKEND="memory",
        )
        return env

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    def sql(self, statement: str) -> None:
        with sqlite3.connect(self.database) as db:
            db.execute(statement)
        db.close()


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def drilled(tmp_path_factory):
    """A seeded source, its backup, and a pristine restored scratch copy that passed the drill check."""
    work = tmp_path_factory.mktemp("drill")
    source, pristine, dump = Site(work / "source"), Site(work / "pristine"), work / "backup"
    ok(source.manage("migrate", "--no-input"))
    ok(source.manage("seed_demo", "--people", "30"))
    ok(source.manage("drill_files", "--count", "2"))
    ok(source.manage("backup", str(dump)))
    restored = ok(pristine.manage("restore", str(dump)))
    assert "恢复完成" in restored
    checked = ok(pristine.manage("drill_check", str(dump)))
    assert "恢复演练通过" in checked
    return work, pristine, dump


@pytest.fixture
def scratch(drilled, tmp_path):
    """A private copy of the restored database and media (the database is closed, so a file copy is exact)."""
    _work, pristine, _dump = drilled
    site = Site(tmp_path / "scratch")
    site.base.mkdir()
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{pristine.database}{suffix}").exists():
            shutil.copy2(f"{pristine.database}{suffix}", f"{site.database}{suffix}")
    shutil.copytree(pristine.media, site.media)
    return site


def drill_fails(site: Site, dump: Path) -> str:
    result = site.manage("drill_check", str(dump))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "恢复演练失败" in result.stderr
    return result.stderr


def test_backup_holds_database_media_and_checksums(drilled):
    _work, pristine, dump = drilled
    manifest = json.loads((dump / "manifest.json").read_text("utf-8"))
    assert manifest["engine"] == "sqlite"
    assert set(manifest["files"]) == {"database.sqlite3", "media.tar.gz"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((dump / name).read_bytes()).hexdigest() == digest
    tables = manifest["fingerprint"]["tables"]
    assert tables["registry_person"]["rows"] >= 30
    assert tables["core_attachment"]["rows"] == 2
    assert tables["core_auditevent"]["rows"] > 0
    assert manifest["fingerprint"]["ledger"]["accounts"], "the demo fund must have ledger accounts"
    # The uploaded files came across with the database.
    assert len([p for p in pristine.media.rglob("*") if p.is_file()]) == 2


def test_deleted_row_fails_the_drill(scratch, drilled):
    scratch.sql("DELETE FROM registry_person WHERE id = (SELECT MAX(id) FROM registry_person)")
    errors = drill_fails(scratch, drilled[2])
    assert "数据表 registry_person 行数不符" in errors


def test_altered_or_deleted_audit_event_fails_the_drill(scratch, drilled):
    scratch.sql("UPDATE core_auditevent SET action = 'tampered' WHERE id = (SELECT MIN(id) FROM core_auditevent)")
    scratch.sql("DELETE FROM core_auditevent WHERE id = (SELECT MAX(id) FROM core_auditevent)")
    errors = drill_fails(scratch, drilled[2])
    assert "内容与哈希不符，记录被修改" in errors  # the hash chain itself, not only the table digest
    assert "链尾与链头记录不符" in errors
    assert "数据表 core_auditevent 行数不符" in errors


def test_altered_ledger_balance_fails_the_drill(scratch, drilled):
    scratch.sql(
        "UPDATE loans_ledgeraccount SET balance = balance + 1 WHERE id = (SELECT MIN(id) FROM loans_ledgeraccount)"
    )
    errors = drill_fails(scratch, drilled[2])
    assert "余额不符" in errors
    assert "账务：账户" in errors  # the ledger no longer agrees with its own entries


def test_changed_or_missing_attachment_file_fails_the_drill(scratch, drilled):
    files = sorted(p for p in scratch.media.rglob("*") if p.is_file())
    files[0].write_bytes(files[0].read_bytes() + b"x")
    files[1].unlink()
    errors = drill_fails(scratch, drilled[2])
    assert "的文件内容与记录的大小或 sha256 不符" in errors
    assert "不存在" in errors


def test_restore_refuses_a_database_with_tables(scratch, drilled):
    result = scratch.manage("restore", str(drilled[2]))
    assert result.returncode == 1
    assert "目标数据库已有数据表" in result.stderr


def test_restore_refuses_a_corrupted_backup(drilled, tmp_path):
    dump = tmp_path / "backup"
    shutil.copytree(drilled[2], dump)
    with (dump / "media.tar.gz").open("ab") as handle:
        handle.write(b"junk")
    target = Site(tmp_path / "target")
    result = target.manage("restore", str(dump))
    assert result.returncode == 1
    assert "media.tar.gz 的 sha256 与清单不符" in result.stderr
    assert not target.media.exists()


def test_backup_refuses_a_non_empty_directory(drilled, tmp_path):
    _work, pristine, _dump = drilled
    (tmp_path / "old").write_text("x")
    result = pristine.manage("backup", str(tmp_path))
    assert result.returncode == 1
    assert "不是空目录" in result.stderr


# --- the fingerprint comparison itself, in process ------------------------------------------------------------------


@pytest.mark.django_db
def test_compare_names_every_kind_of_difference():
    record_event("drill.test", region_code="510104")
    before = backup.fingerprint()
    assert backup.compare(before, backup.fingerprint()) == []
    after = json.loads(json.dumps(before))
    after["tables"]["core_auditevent"]["rows"] += 1
    after["ledger"]["accounts"]["demo:key"] = "1.00"
    after["ledger"]["by_kind"]["bank_cash"] = str(Decimal(after["ledger"]["by_kind"].get("bank_cash", "0")) + 1)
    after["audit_chains"]["510104"] = [99, "0" * 64]
    problems = backup.compare(before, after)
    assert any("core_auditevent 行数不符" in p for p in problems)
    assert any("账户 demo:key 余额不符" in p for p in problems)
    assert any("账务科目类别 bank_cash 余额合计不符" in p for p in problems)
    assert any("审计链 510104 链头不符" in p for p in problems)


@pytest.mark.django_db
def test_attachment_problems_finds_a_changed_file():
    attachment = attachment_create(
        upload=SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf"), object_type="drill", object_id=1
    )
    assert backup.attachment_problems() == []
    path = Path(attachment.file.path)
    path.write_bytes(PDF + b"changed")
    assert backup.attachment_problems() == [f"附件 {attachment.pk}（证明.pdf）的文件内容与记录的大小或 sha256 不符"]
    path.unlink()
    assert "不存在" in backup.attachment_problems()[0]
