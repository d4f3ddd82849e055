"""Filing every stored event in the reference index again (a store written before the index
kept times is upgraded this way, once, when it is first opened for writing)."""

from __future__ import annotations

from ledger.events import EVENT_TYPES
from ledger.index import refs_of
from ledger.store.backend import WriteSession
from ledger.write.meta import file_meta_events

PAGE = 5000


def reindex(session: WriteSession) -> int:
    """File every event under its references, in append order; the number of events filed."""
    metas: list[tuple[str, int]] = []
    after, count = 0, 0
    while page := session.lines(after, PAGE):
        rows: list[tuple[str, int, int]] = []
        for line in page:
            event = EVENT_TYPES[line.type].model_validate_json(line.line)
            rows += [(ref, at, line.notification_id) for ref, at in refs_of(event)]
            if line.type in ("EventCorrected", "EventRetracted"):
                metas.append((line.event_id, line.notification_id))
        session.add_refs(rows)
        after = page[-1].notification_id
        count += len(page)
    file_meta_events(session, metas)
    return count
