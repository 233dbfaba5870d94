"""civicllm audit verify: says clearly whether the log and its anchors agree."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from civicllm.cli import main
from civicllm.config import Settings
from civicllm.safety.audit import AuditRecord, open_audit_log


def write_records(home: Path, count: int, **settings: object) -> None:
    log = open_audit_log(Settings(engine="echo", home=home, **settings))  # type: ignore[arg-type]
    for i in range(count):
        log.append(AuditRecord(request_id=f"r{i}", answer=f"a{i}"))
    log.close()


def test_verify_reports_intact_then_a_deleted_newest_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_records(tmp_path, 3)
    assert main(["audit", "verify", "--home", str(tmp_path)]) == 0
    assert "intact" in capsys.readouterr().out
    db = sqlite3.connect(tmp_path / "audit.sqlite")
    db.execute("DROP TRIGGER audit_no_delete")
    db.execute("DELETE FROM audit WHERE seq = 3")
    db.commit()
    db.close()
    assert main(["audit", "verify", "--home", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Record 3" in err and "deleted" in err


def test_verify_uses_the_key_and_head_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "vault"
    home = tmp_path / "home"
    write_records(home, 2, audit_key_path=elsewhere / "k", audit_head_path=elsewhere / "h")
    assert not (home / "audit.key").exists()
    monkeypatch.setenv("CIVICLLM_AUDIT_KEY_PATH", str(elsewhere / "k"))
    monkeypatch.setenv("CIVICLLM_AUDIT_HEAD_PATH", str(elsewhere / "h"))
    assert main(["audit", "verify", "--home", str(home)]) == 0
    assert "intact" in capsys.readouterr().out
    monkeypatch.delenv("CIVICLLM_AUDIT_KEY_PATH")
    assert main(["audit", "verify", "--home", str(home)]) == 1
    assert "audit key" in capsys.readouterr().err
    assert not (home / "audit.key").exists()  # verifying never makes up a key


def test_trusted_proxies_setting_is_a_list_of_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    from civicllm.config import load_settings
    from civicllm.errors import ConfigError

    settings = load_settings(environ={"CIVICLLM_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16"})
    assert settings.trusted_proxies == ["10.0.0.1", "192.168.0.0/16"]
    assert Settings().trusted_proxies == []
    with pytest.raises(ConfigError, match="trusted_proxies"):
        load_settings(environ={"CIVICLLM_TRUSTED_PROXIES": "not-an-ip"})
