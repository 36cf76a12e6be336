"""`record()`: append to the audit chain inside the caller's business transaction."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from onestop.audit.domain import GENESIS, entry_hash
from onestop.audit.models import AuditEntry, AuditHead
from onestop.core import clock, sql

if TYPE_CHECKING:
    from onestop.accounts.models import User


def _content(entry: AuditEntry) -> dict[str, Any]:
    return {
        "chain": entry.chain,
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
    }


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    data: dict[str, Any] | None = None,
    chain: str | None = None,
) -> AuditEntry:
    """Append one entry. Must run inside the transaction that makes the change it describes, so
    that the change and its record commit or vanish together. The entry goes to its centre's
    chain (taken from the target when not given) or to the national one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the business transaction")
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    # Normalise to what JSON will give back, so the hash can be recomputed from the stored row.
    payload = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    chain = chain_of(target) if chain is None else chain
    seq, prev_hash = _advance_head(chain)
    entry = AuditEntry(
        chain=chain,
        seq=seq,
        at=clock.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=getattr(actor, "username", "") or "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=payload,
        prev_hash=prev_hash,
    )
    entry.hash = entry_hash(entry.prev_hash, _content(entry))
    # The entry and the head's new hash: one round trip on PostgreSQL.
    sql.insert_then(
        entry, "UPDATE audit_audithead SET hash = %s WHERE chain = %s", [entry.hash, chain]
    )
    return entry


def _advance_head(chain: str) -> tuple[int, str]:
    """Take the chain's next sequence number and the hash to link to. The UPDATE locks the
    head row until commit, so appends from concurrent transactions queue here instead of
    forking the chain (REFERENCE.md: unlocked appends lost over half the entries); callers
    append last, just before they commit, to hold that lock as briefly as possible."""
    returned = ("seq", "hash")
    row = sql.update_returning(
        AuditHead, where={"chain": chain}, changes={"seq": sql.Increment()}, returning=returned
    )
    if row is None:  # the chain's first entry: create its head, then take it as above
        AuditHead.objects.get_or_create(chain=chain)
        row = sql.update_returning(
            AuditHead, where={"chain": chain}, changes={"seq": sql.Increment()}, returning=returned
        )
        assert row is not None
    return int(row[0]), str(row[1])


def chain_of(target: models.Model | None) -> str:
    """The centre a record belongs to: the target itself, or the centre it hangs off."""
    if target is None:
        return ""
    if target._meta.label_lower == "centres.centre":
        return str(getattr(target, "code", ""))
    centre = getattr(target, "centre", None)
    return str(getattr(centre, "code", "") or "")


def chains() -> list[str]:
    return list(AuditHead.objects.order_by("chain").values_list("chain", flat=True))


def first_broken_entry(chain: str = "") -> int | None:
    """The sequence number where a chain stops verifying (an edit or a gap), or None."""
    prev_hash, expected_seq = GENESIS, 1
    for entry in AuditEntry.objects.filter(chain=chain).order_by("seq").iterator():
        if entry.seq != expected_seq or entry.prev_hash != prev_hash:
            return expected_seq
        if entry_hash(prev_hash, _content(entry)) != entry.hash:
            return entry.seq
        prev_hash, expected_seq = entry.hash, expected_seq + 1
    return None
