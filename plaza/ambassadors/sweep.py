"""The daily pass of 通星汇 (run by ``core.scheduler`` and Celery beat): credit the deals whose freeze period
is over, and push (or retry) the leads waiting in the outbox to dealer systems. Idempotent: a deal is credited
once (``deal_credited_on``, the ledger's idempotency key), an outbox row is claimed by a conditional update."""

from __future__ import annotations

from datetime import date

from . import services


def ambassadors_sweep(today: date) -> dict[str, int]:
    followed = services.follow_up_leads(limit=10_000)
    return {"followed_up": followed, "deals": services.credit_deals(today), **services.push_outbox()}
