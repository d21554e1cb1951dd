"""The path to credit on PostgreSQL (the store of a hub): the same steps, times, certificate and report as SQLite."""

from __future__ import annotations

import pytest

from hnscc_edu import keys
from hnscc_edu.export import certificate_check, certificates, report
from hnscc_edu.sessions.credit_session import LearnerPath, record_from_row
from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore
from tests.conftest import fresh_database
from tests.credit.conftest import COURSE, walk


@pytest.fixture(scope="module")
def postgres_url(postgres):
    return fresh_database(postgres)


def test_the_path_resumes_and_certifies_on_postgresql(postgres_url, clock):
    store = Store(postgres_url)
    path = walk(store, "pg-learner", clock, "surgeon", "DO", until="attestation")
    again = LearnerPath(COURSE, store, "pg-learner", clock=clock)
    assert again.state == path.state  # times come back as the same aware datetimes
    again.attest("Dr Hub Learner", 40, True)
    record = again.certificate()
    assert record.credit_line == "0.75 AMA PRA Category 1 Credit™"
    stored = CreditStore(store)

    def lookup(certificate_id):
        row = stored.certificate(certificate_id)
        return record_from_row(row) if row else None

    assert certificate_check.verify_with_store(certificates.render(record), keys.load_public(), lookup).ok
    assert LearnerPath(COURSE, store, "pg-learner", clock=clock).certificate().sha256 == record.sha256
    data = report.build(COURSE, store)
    assert data.participation.set_index("milestone").loc["certified", "learners"] == 1
    store.engine.dispose()
