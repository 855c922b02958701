"""The real `trial-journal sync` command: two journals through one folder, joining from it, and plain refusals with exit 2."""

from __future__ import annotations

import json

from tests.cli.helpers import FULL, run_cli


def _export(home, db, out):
    done = run_cli(home, "export", "--journal", db, "--out", out)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    data.pop("exported_at")
    data.pop("entries_by")  # who entered a record in caregiver mode is not carried by a sync yet
    return data


def test_a_journal_synced_then_joined_holds_every_record_and_an_edit_travels_back(tmp_path):
    folder = tmp_path / "Sync"
    folder.mkdir()
    home_db, work_db = tmp_path / "home" / "j.db", tmp_path / "work" / "j.db"
    assert run_cli(tmp_path, "import", FULL, "--journal", home_db).returncode == 0

    sent = run_cli(tmp_path, "sync", "--folder", folder, "--journal", home_db)
    assert sent.returncode == 0, sent.stderr
    assert "Sent" in sent.stdout and not (folder / home_db.name).exists()
    joined = run_cli(tmp_path, "sync", "--folder", folder, "--join", "--journal", work_db)
    assert joined.returncode == 0, joined.stderr
    assert "Joined" in joined.stdout
    assert _export(tmp_path, work_db, tmp_path / "work.json") == _export(tmp_path, home_db, tmp_path / "home.json")

    # an edit made at work comes home
    data = _export(tmp_path, work_db, tmp_path / "w.json")
    edit = tmp_path / "settings.json"
    edit.write_text(json.dumps({"format": "trial-journal", "version": 2, "settings": {"adequate_weeks": 4}}), encoding="utf-8")
    assert run_cli(tmp_path, "import", edit, "--journal", work_db).returncode == 0
    assert run_cli(tmp_path, "sync", "--folder", folder, "--journal", work_db).returncode == 0
    back = run_cli(tmp_path, "sync", "--folder", folder, "--journal", home_db)
    assert back.returncode == 0 and "received 1" in back.stdout
    assert _export(tmp_path, home_db, tmp_path / "h2.json")["settings"]["adequate_weeks"] == 4 != data["settings"]["adequate_weeks"]


def test_join_is_refused_where_a_journal_is_and_from_an_empty_folder(tmp_path):
    folder = tmp_path / "Sync"
    folder.mkdir()
    db = tmp_path / "j.db"
    empty = run_cli(tmp_path, "sync", "--folder", folder, "--join", "--journal", db)
    assert empty.returncode == 2 and "holds no journal's change files" in empty.stderr and not db.exists()
    assert run_cli(tmp_path, "import", FULL, "--journal", db).returncode == 0
    there = run_cli(tmp_path, "sync", "--folder", folder, "--join", "--journal", db)
    assert there.returncode == 2 and "already" in there.stderr


def test_a_missing_folder_or_journal_is_named_with_exit_2(tmp_path):
    db = tmp_path / "j.db"
    gone = run_cli(tmp_path, "sync", "--folder", tmp_path / "nowhere", "--journal", db)
    assert gone.returncode == 2 and "nowhere" in gone.stderr
    (tmp_path / "Sync").mkdir()
    none = run_cli(tmp_path, "sync", "--folder", tmp_path / "Sync", "--journal", db)
    assert none.returncode == 2 and "--join" in none.stderr


def _encrypted_home(tmp_path):
    folder = tmp_path / "Sync"
    folder.mkdir()
    db, secret = tmp_path / "home" / "j.db", tmp_path / "pass.txt"
    secret.write_text("a long enough passphrase\n")
    source = tmp_path / "marked.json"
    source.write_text(FULL.read_text(encoding="utf-8").replace("thyroid", "zebra-marker-7781"), encoding="utf-8")
    assert run_cli(tmp_path, "import", source, "--journal", db, "--passphrase-file", secret).returncode == 0
    return folder, db, secret


def test_a_journal_with_a_passphrase_syncs_sealed_and_is_joined_with_its_passphrase(tmp_path):
    folder, home_db, secret = _encrypted_home(tmp_path)
    work_db = tmp_path / "work" / "j.db"
    sent = run_cli(tmp_path, "sync", "--folder", folder, "--journal", home_db, "--passphrase-file", secret)
    assert sent.returncode == 0, sent.stderr
    joined = run_cli(tmp_path, "sync", "--folder", folder, "--join", "--journal", work_db, "--passphrase-file", secret)
    assert joined.returncode == 0, joined.stderr
    assert "Joined" in joined.stdout and "warning" not in joined.stderr

    def export(db, out):
        done = run_cli(tmp_path, "export", "--journal", db, "--out", out, "--passphrase-file", secret)
        assert done.returncode == 0, done.stderr
        data = json.loads(out.read_text(encoding="utf-8"))
        data.pop("exported_at")
        data.pop("entries_by")
        return data

    assert export(work_db, tmp_path / "w.json") == export(home_db, tmp_path / "h.json")
    assert "zebra-marker-7781" in (tmp_path / "w.json").read_text(encoding="utf-8")
    for path in folder.iterdir():
        assert b"zebra-marker-7781" not in path.read_bytes() and b'"text"' not in path.read_bytes()
    plain = run_cli(tmp_path, "sync", "--folder", folder, "--journal", home_db)
    assert plain.returncode == 2 and "passphrase" in plain.stderr


def test_joining_with_a_wrong_passphrase_is_refused_and_nothing_is_made(tmp_path):
    folder, home_db, secret = _encrypted_home(tmp_path)
    assert run_cli(tmp_path, "sync", "--folder", folder, "--journal", home_db, "--passphrase-file", secret).returncode == 0
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase at all\n")
    work_db = tmp_path / "work" / "j.db"
    refused = run_cli(tmp_path, "sync", "--folder", folder, "--join", "--journal", work_db, "--passphrase-file", wrong)
    assert refused.returncode == 2 and "does not open the journal in the sync folder" in refused.stderr
    assert not work_db.exists() and not (tmp_path / "work" / "j.db.keys").exists()
    without = run_cli(tmp_path, "sync", "--folder", folder, "--join", "--journal", work_db)
    assert without.returncode == 2 and "--passphrase-file" in without.stderr and not work_db.exists()
