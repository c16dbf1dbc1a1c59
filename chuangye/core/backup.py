"""Backup and restore of the database and the uploaded files, and the fingerprint the restore drill compares.

A backup is one directory holding:

- ``database.sqlite3`` (SQLite, written with the online backup API, so a live database is copied consistently) or
  ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``, one consistent snapshot);
- ``media.tar.gz``, every file under ``MEDIA_ROOT`` (uploaded attachments);
- ``manifest.json``: engine, time, the sha256 of both files, and a fingerprint of the database taken right after
  the dump (row count and content digest of every table, ledger totals, audit chain heads).

``restore`` checks the sha256 of both files before touching anything, then loads the database into the database
that ``CHUANGYE_DATABASE_URL`` names (refusing one that already has tables unless told to replace it) and unpacks
the files into ``MEDIA_ROOT``. ``drill_problems`` compares a restored database with a manifest's fingerprint and
checks what must hold in any good copy: every audit chain verifies, the ledger balances, subsidy figures reconcile,
and every attachment row's file exists with the stored size and sha256.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction

from chuangye.core.audit import verify_chains
from chuangye.core.errors import DomainError
from chuangye.core.models import Attachment, AuditChain

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
FORMAT_VERSION = 1


class BackupError(DomainError):
    """A backup or restore that cannot go ahead; the message says why, in Chinese."""


# --- engines -------------------------------------------------------------------------------------------------------


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库类型：{vendor}（仅支持 SQLite 和 PostgreSQL）")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def pg_bin(name: str) -> str:
    """A PostgreSQL client program: from ``CHUANGYE_PG_BINDIR``, else the newest ``/usr/lib/postgresql/*/bin``
    (Debian's layout; a newer pg_dump can dump an older server, not the reverse), else the PATH."""
    candidates = []
    if os.environ.get("CHUANGYE_PG_BINDIR"):
        candidates.append(Path(os.environ["CHUANGYE_PG_BINDIR"]) / name)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    candidates.extend(p / name for p in reversed(versions))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到 PostgreSQL 客户端程序 {name}，请安装 postgresql-client 或设置 CHUANGYE_PG_BINDIR")
    return found


def _pg_env() -> dict[str, str]:
    """libpq connection settings for the client programs; the password goes in the environment, never in argv."""
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _run(args: list[str]) -> None:
    result = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603 - our argv
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} 失败（退出码 {result.returncode}）：{result.stderr.strip()}")


# --- backup --------------------------------------------------------------------------------------------------------


def _dump_database(dest: Path) -> Path:
    if engine() == "sqlite":
        target = dest / SQLITE_FILE
        connection.ensure_connection()
        source = connection.connection  # Django's own connection: works for any database name, in-memory too
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)  # page-by-page online copy; consistent even while others write
        finally:
            copy.close()
        return target
    target = dest / PG_FILE
    _run([pg_bin("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
    return target


def _pack_media(dest: Path) -> Path:
    target = dest / MEDIA_FILE
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w:gz") as tar:
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(media)), recursive=False)
    return target


def backup(dest: Path) -> dict[str, Any]:
    """Write a backup into the directory ``dest`` (created; must be empty) and return its manifest."""
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise BackupError(f"备份目录 {dest} 不是空目录，请换一个目录，避免覆盖已有备份")
    started = dt.datetime.now(dt.UTC)
    database_file = _dump_database(dest)
    media_file = _pack_media(dest)
    manifest = {
        "format": FORMAT_VERSION,
        "engine": engine(),
        "created_at": started.isoformat(),
        "files": {
            database_file.name: _sha256(database_file),
            media_file.name: _sha256(media_file),
        },
        "fingerprint": fingerprint(),
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    return manifest


# --- restore -------------------------------------------------------------------------------------------------------


def read_manifest(src: Path) -> dict[str, Any]:
    path = src / MANIFEST
    if not path.is_file():
        raise BackupError(f"{src} 中没有 {MANIFEST}，不是本平台的备份目录")
    manifest: dict[str, Any] = json.loads(path.read_text("utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"备份格式版本 {manifest.get('format')} 不受支持（本程序为 {FORMAT_VERSION}）")
    return manifest


def _check_files(src: Path, manifest: dict[str, Any]) -> None:
    for name, expected in manifest["files"].items():
        path = src / name
        if not path.is_file():
            raise BackupError(f"备份文件 {name} 缺失")
        if _sha256(path) != expected:
            raise BackupError(f"备份文件 {name} 的 sha256 与清单不符，文件已损坏或被改动，拒绝恢复")


def _user_tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def restore(src: Path, *, replace: bool = False) -> dict[str, Any]:
    """Load the backup in ``src`` into the configured database and ``MEDIA_ROOT``; return its manifest."""
    manifest = read_manifest(src)
    _check_files(src, manifest)
    if manifest["engine"] != engine():
        raise BackupError(f"备份来自 {manifest['engine']} 数据库，不能恢复到 {engine()} 数据库")
    if _user_tables() and not replace:
        raise BackupError("目标数据库已有数据表；确认要覆盖时请加 --replace")
    connections.close_all()
    if engine() == "sqlite":
        source = sqlite3.connect(str(src / SQLITE_FILE))
        target = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        try:
            with target:
                source.backup(target)  # replaces the target's whole content
        finally:
            target.close()
            source.close()
    else:
        args = [pg_bin("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if replace:
            args += ["--clean", "--if-exists"]
        _run([*args, f"--dbname={settings.DATABASES['default']['NAME']}", str(src / PG_FILE)])
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(src / MEDIA_FILE, "r:gz") as tar:
        tar.extractall(media, filter="data")  # refuses absolute paths, "..", links out of the tree
    return manifest


# --- fingerprint and drill checks ----------------------------------------------------------------------------------


def _normalise(value: object) -> object:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def table_digest(table: str) -> tuple[int, str]:
    """Row count and an order-independent digest of every row's values (sum of row hashes modulo 2**256)."""
    quoted = connection.ops.quote_name(table)
    total, count = 0, 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names come from introspection
        while rows := cursor.fetchmany(2000):
            for row in rows:
                text = repr(tuple(_normalise(value) for value in row)).encode("utf-8")
                total = (total + int.from_bytes(hashlib.sha256(text).digest(), "big")) % (1 << 256)
                count += 1
    return count, f"{total:064x}"


def ledger_totals() -> dict[str, Any]:
    """Balance of every ledger account (by its key) and the sum per account kind, as exact decimal strings."""
    from chuangye.loans.models import LedgerAccount, LedgerEntry

    by_kind: dict[str, Decimal] = defaultdict(Decimal)
    accounts = {}
    for key, kind, balance in LedgerAccount.objects.order_by("key").values_list("key", "kind", "balance"):
        accounts[key] = str(balance)
        by_kind[kind] += balance
    entries = Decimal(0)
    for amount in LedgerEntry.objects.values_list("amount", flat=True).iterator(chunk_size=5000):
        entries += abs(amount)
    return {
        "accounts": accounts,
        "by_kind": {kind: str(total) for kind, total in sorted(by_kind.items())},
        "entries_abs_total": str(entries),
    }


def fingerprint() -> dict[str, Any]:
    """What a faithful copy must reproduce exactly. On PostgreSQL it is read in one repeatable-read snapshot so the
    parts agree with each other; on SQLite without a transaction, because this project opens SQLite transactions
    with ``BEGIN IMMEDIATE``, which would stop every writer while the tables are read."""
    if engine() == "sqlite":
        return _fingerprint()
    # Only the outermost transaction can choose its isolation; inside a caller's transaction (tests), the caller's
    # snapshot rules apply.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return _fingerprint()


def _fingerprint() -> dict[str, Any]:
    tables = {}
    for table in _user_tables():
        count, digest = table_digest(table)
        tables[table] = {"rows": count, "digest": digest}
    chains = {name: [seq, head] for name, seq, head in AuditChain.objects.values_list("name", "seq", "head_hash")}
    return {"tables": tables, "ledger": ledger_totals(), "audit_chains": dict(sorted(chains.items()))}


def attachment_problems() -> list[str]:
    """Every attachment row whose file is missing, or whose size or sha256 differs from what the row recorded."""
    problems = []
    for attachment in Attachment.objects.order_by("id").iterator(chunk_size=500):
        name = attachment.file.name
        if not name or not attachment.file.storage.exists(name):
            problems.append(f"附件 {attachment.pk}（{attachment.original_name}）的文件 {name} 不存在")
            continue
        digest, size = hashlib.sha256(), 0
        with attachment.file.storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        if size != attachment.size or digest.hexdigest() != attachment.sha256:
            problems.append(f"附件 {attachment.pk}（{attachment.original_name}）的文件内容与记录的大小或 sha256 不符")
    return problems


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Differences between two fingerprints, one Chinese line each."""
    problems = []
    want, got = expected["tables"], actual["tables"]
    for table in sorted(set(want) | set(got)):
        if table not in got:
            problems.append(f"数据表 {table} 在恢复的数据库中不存在")
        elif table not in want:
            problems.append(f"数据表 {table} 在备份时不存在，恢复后却出现")
        elif want[table]["rows"] != got[table]["rows"]:
            problems.append(f"数据表 {table} 行数不符：备份时 {want[table]['rows']}，恢复后 {got[table]['rows']}")
        elif want[table]["digest"] != got[table]["digest"]:
            problems.append(f"数据表 {table} 行数相同但内容不同")
    ledger_want, ledger_got = expected["ledger"], actual["ledger"]
    for kind in sorted(set(ledger_want["by_kind"]) | set(ledger_got["by_kind"])):
        a, b = ledger_want["by_kind"].get(kind, "0"), ledger_got["by_kind"].get(kind, "0")
        if Decimal(a) != Decimal(b):
            problems.append(f"账务科目类别 {kind} 余额合计不符：备份时 {a}，恢复后 {b}")
    for key in sorted(set(ledger_want["accounts"]) | set(ledger_got["accounts"])):
        a, b = ledger_want["accounts"].get(key), ledger_got["accounts"].get(key)
        if a is None or b is None or Decimal(a) != Decimal(b):
            problems.append(f"账户 {key} 余额不符：备份时 {a or '无此账户'}，恢复后 {b or '无此账户'}")
    if Decimal(ledger_want["entries_abs_total"]) != Decimal(ledger_got["entries_abs_total"]):
        problems.append(
            "分录金额绝对值合计不符："
            f"备份时 {ledger_want['entries_abs_total']}，恢复后 {ledger_got['entries_abs_total']}"
        )
    chains_want, chains_got = expected["audit_chains"], actual["audit_chains"]
    for name in sorted(set(chains_want) | set(chains_got)):
        if chains_want.get(name) != chains_got.get(name):
            problems.append(f"审计链 {name} 链头不符：备份时 {chains_want.get(name)}，恢复后 {chains_got.get(name)}")
    return problems


def drill_problems(expected: dict[str, Any]) -> list[str]:
    """Everything wrong with the configured (restored) database against the fingerprint ``expected``."""
    from chuangye.loans.ledger import ledger_problems
    from chuangye.loans.subsidy import subsidy_problems

    problems = compare(expected, fingerprint())
    problems += [str(problem) for problem in verify_chains()]
    problems += [f"账务：{problem}" for problem in ledger_problems()]
    problems += [f"贴息对账：{problem}" for problem in subsidy_problems()]
    problems += attachment_problems()
    return problems
