"""PostgreSQL chains an audit row in one statement, hashing in SQL the bytes chain.canonical
hashes in Python (audit/log.py). The text around the database's values (the time, the previous
hash, the seq) comes from chain.canonical_around_holes: put together with any values, it is
canonical() to the byte, whatever a row's fields hold (quotes, non-ASCII, nested detail)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.web.audit.chain import canonical, canonical_around_holes
from jixiao.web.audit.models import AuditEvent

texts = st.text(max_size=12)
details = st.recursive(st.none() | st.booleans() | st.integers() | texts,
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
                       max_leaves=10)


@settings(max_examples=200, deadline=None)
@given(actor=st.none() | st.integers(1, 10**6), username=texts, role=texts, action=texts, object_type=texts,
       object_id=texts, ip=st.none() | st.sampled_from(["10.0.0.1", "::1", "2001:db8::7"]), path=texts,
       detail=st.dictionaries(texts, details, max_size=4),
       at=st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                       timezones=st.just(dt.UTC)),
       seq=st.integers(1, 10**12), prev=st.text("0123456789abcdef", min_size=0, max_size=64))
def test_the_pieces_around_the_database_values_make_the_canonical_bytes(actor, username, role, action, object_type,
                                                                        object_id, ip, path, detail, at, seq, prev):
    event = AuditEvent(actor_id=actor, username=username, role=role, action=action, object_type=object_type,
                       object_id=object_id, ip=ip, path=path, detail=detail, at=at, seq=seq, prev_hash=prev)
    pieces = canonical_around_holes(event)
    text = (pieces[0] + at.strftime("%Y-%m-%dT%H:%M:%S.%fZ") + pieces[1] + prev + pieces[2] + str(seq)
            + pieces[3])
    assert text.encode("utf-8") == canonical(event)


def test_rows_with_awkward_content_are_chained_and_verify(db):
    """On PostgreSQL the database computes the hash (and record() refuses a row whose hash Python
    computes differently); on SQLite the ORM writes it. Either way the chain verifies."""
    from jixiao.web.audit.chain import digest, verify
    from jixiao.web.audit.log import record

    details = [{"quote": '他说"好"\\n', "nested": {"z": [1, None, True], "a": "é"}}, {}, {"emoji": "📄", "n": 10**15},
               {"seq": 1, "prev_hash": "x", "at": "2020"}]
    rows = [record(None, "login", username=f"用户{i}", detail=d) for i, d in enumerate(details)]
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + len(rows)))
    assert all(r.hash == digest(r) for r in rows)
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(rows, rows[1:]))
    assert all(earlier.at <= later.at for earlier, later in zip(rows, rows[1:]))
    assert verify().intact
