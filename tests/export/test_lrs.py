"""xAPI against a real learning record store (ralph, file-system backend) on loopback: statements posted through
the exporter, read back through the LRS's own API, equal."""

from __future__ import annotations

import os
import subprocess

import pytest

from hnscc_edu.export.common import ExportError
from hnscc_edu.export.lrs import LrsEndpoint, post_statements
from hnscc_edu.export.writer import build_statements, read_records
from tests.export.lrs_server import ralph_lrs
from tests.export.records import fill_store
from tests.helpers import FIXTURE_COURSE, ROOT

# Properties an LRS adds to what it stores (xAPI 1.0.3, section 2.4: "stored", "authority" and "version" are set by
# the LRS); everything else must come back as it was sent.
LRS_SET = {"stored", "authority", "version"}


@pytest.fixture(scope="module")
def lrs(tmp_path_factory):
    with ralph_lrs(tmp_path_factory.mktemp("lrs")) as running:
        yield running


def _as_sent(statement: dict) -> dict:
    return {k: v for k, v in statement.items() if k not in LRS_SET}


def test_statements_posted_read_back_equal(lrs, tmp_path, fixture):
    statements = build_statements(fixture, None, read_records(fill_store(tmp_path / "store.sqlite3", fixture)))
    assert len(statements) > 5
    endpoint = LrsEndpoint(lrs.url, lrs.username, lrs.password)
    stored_ids = post_statements(statements, endpoint, batch_size=4)  # several batches
    assert stored_ids == [s["id"] for s in statements]
    back = {s["id"]: s for s in lrs.all_statements()}
    for statement in statements:
        assert _as_sent(back[statement["id"]]) == statement
    one = lrs.get(f"/xAPI/statements/?statementId={statements[0]['id']}")
    found = one.get("statements", [one])
    assert [_as_sent(s) for s in found] == [statements[0]]

    # Posting the same statements again stores nothing twice (their ids are stable).
    post_statements(statements, endpoint)
    ids = [s["id"] for s in lrs.all_statements()]
    assert sorted(i for i in ids if i in back) == sorted(back)
    assert len(ids) == len(set(ids))


def test_wrong_credentials_are_a_clear_error(lrs):
    endpoint = LrsEndpoint(lrs.url, lrs.username, "wrong")
    with pytest.raises(ExportError, match=r"refused the statements \(HTTP 401\)"):
        post_statements(
            [
                {
                    "actor": {"mbox": "mailto:a@example.org"},
                    "verb": {"id": "http://example.org/v"},
                    "object": {"id": "http://example.org/o"},
                }
            ],
            endpoint,
        )
    assert "wrong" not in repr(endpoint)  # the password never shows


def test_command_line_posts_to_the_lrs(lrs, tmp_path, fixture):
    fill_store(tmp_path / "cli.sqlite3", fixture)
    env = {
        **os.environ,
        "HNSCC_EDU_DB_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "HNSCC_EDU_LRS_USER": lrs.username,
        "HNSCC_EDU_LRS_PASSWORD": lrs.password,
    }
    base = "https://cli.example.org/course/"  # other activity ids than the test above, so nothing collides
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "hnscc-edu"),
            "--root",
            str(FIXTURE_COURSE),
            "export",
            "xapi",
            "--out",
            str(tmp_path / "out"),
            "--lrs",
            lrs.url,
            "--base-iri",
            base,
        ],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "out" / "statements.jsonl").read_text().splitlines()
    assert f"{len(lines)} statement(s); {len(lines)} posted to {lrs.url}statements" in result.stderr
    assert lrs.password not in result.stdout + result.stderr
    import json

    sent = {s["id"]: s for s in map(json.loads, lines)}
    back = {s["id"]: _as_sent(s) for s in lrs.all_statements() if s["id"] in sent}
    assert back == sent
