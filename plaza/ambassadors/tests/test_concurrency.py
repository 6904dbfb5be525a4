"""Six ambassadors' links used for one phone at the same moment: exactly one lead is credited (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from plaza.ambassadors import queries, services
from plaza.ambassadors.models import Attribution, Lead, PhoneCheck
from plaza.lib import clock
from plaza.lib.crypto import blind_index
from plaza.testing.factories import PersonFactory, join

from .helpers import PHONE, make_programme


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_phone_through_six_links_at_once_credits_exactly_one(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL")
    p = make_programme(world)
    targets = []
    for n in range(6):
        person = PersonFactory(employee_no=f"R{n:04d}")
        join(person, world.branch_a)
        ambassador = services.register(person, accept_terms=True)
        targets.append(queries.link_target(services.share_code(ambassador, p.rui)))
    index = blind_index(PHONE)
    now = clock.now()
    checks = [
        PhoneCheck.objects.create(phone_index=index, code_hash="x", expires_at=now + timedelta(minutes=5))
        for _ in targets
    ]
    form = services.LeadForm("王先生", PHONE, "上海", p.rui.pk, None, "", "", True, p.shanghai.pk)
    barrier = threading.Barrier(len(targets))
    errors: list[Exception] = []

    def submit(target, check) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            services._store_lead(
                target,
                form,
                p.rui,
                p.shanghai,
                PHONE,
                index,
                check,
                ip="198.51.100.1",
                visitor="",
                protect_days=queries.rule("referrals.protect_days"),
                contact_hours=queries.rule("referrals.first_contact_hours"),
            )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(targets, checks, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = list(Lead.objects.values_list("status", flat=True))
    assert statuses.count(Attribution.CREDITED) == 1 and statuses.count(Attribution.DUPLICATE) == 5
