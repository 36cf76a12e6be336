"""`record()`: append to the audit chain inside the caller's business transaction."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from onestop.audit.domain import GENESIS, entry_hash
from onestop.audit.models import AuditEntry, AuditHead
from onestop.core import clock

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
    # The head row is the lock: appends from concurrent transactions queue here instead of
    # forking the chain (REFERENCE.md: unlocked appends lost over half the entries).
    chain = chain_of(target) if chain is None else chain
    head, _ = AuditHead.objects.select_for_update().get_or_create(chain=chain)
    entry = AuditEntry(
        chain=chain,
        seq=head.seq + 1,
        at=clock.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=getattr(actor, "username", "") or "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=payload,
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(entry.prev_hash, _content(entry))
    entry.save()
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])
    return entry


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
