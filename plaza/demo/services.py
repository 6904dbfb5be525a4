"""Writes the demo enterprise into the database, fast enough for 200,000 people.

Rows go in with ``bulk_create`` in batches, so the models' ``save()`` never runs: what ``save()`` would
have set — the organisation's ``tree``, the membership's ``tree``, the person's ``id_card_index`` — is
set here, and the treebeard paths, depths and child counts come ready-made from the plan. Every demo
person gets the same password hash, computed once (hashing 200,000 passwords would take hours).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from plaza.accounts.crypto import blind_index
from plaza.accounts.models import Person, StatusChange
from plaza.audit.services import record
from plaza.orgs.models import LEVEL_TREE, Membership, Organisation, Position

from .accounts import DEMO_PASSWORD
from .enterprise import Enterprise

BATCH_SIZE = 2000

T = TypeVar("T")


@dataclass(frozen=True)
class SeedCounts:
    organisations: int
    people: int
    memberships: int
    positions: int
    status_changes: int
    seconds: float


def _batches(items: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def demo_data_exists() -> bool:
    """The demo is loaded once: any organisation means someone already set this installation up."""
    return Organisation.objects.exists()


def write_enterprise(plan: Enterprise, progress: Callable[[int, int, float], None] | None = None) -> SeedCounts:
    """Insert the planned enterprise in one transaction (all or nothing); ``progress(done, total, secs)``."""
    started = time.perf_counter()
    with transaction.atomic():
        organisations = [
            Organisation(
                name=row.name, code=row.code, level=row.level, tree=LEVEL_TREE[row.level], path=row.path,
                depth=row.depth, numchild=row.numchild, established_on=row.established_on,
            )
            for row in plan.organisations
        ]
        for batch in _batches(organisations):
            Organisation.objects.bulk_create(batch)
        org_ids = [org.pk for org in organisations]
        org_trees = [org.tree for org in organisations]

        password = make_password(DEMO_PASSWORD)
        person_ids: list[int] = []
        total = len(plan.people)
        for batch in _batches(plan.people):
            people = [
                Person(
                    employee_no=row.employee_no, name=row.name, gender=row.gender, birth_date=row.birth_date,
                    ethnicity=row.ethnicity, education=row.education, department=row.department,
                    job_title=row.job_title, phone=row.phone, id_card=row.id_card,
                    id_card_index=blind_index(row.id_card) if row.id_card else "",
                    political_status=row.political_status, is_staff=row.is_staff,
                    is_superuser=row.is_superuser, password=password,
                )
                for row in batch
            ]
            Person.objects.bulk_create(people)
            person_ids.extend(person.pk for person in people)
            if progress:
                progress(len(person_ids), total, time.perf_counter() - started)

        memberships = 0
        for batch in _batches(
            Membership(person_id=person_ids[p], organisation_id=org_ids[o], tree=org_trees[o], since=since)
            for p, row in enumerate(plan.people) for o, since in row.memberships
        ):
            Membership.objects.bulk_create(batch)
            memberships += len(batch)

        changes = 0
        for batch in _batches(
            StatusChange(person_id=person_ids[p], from_status=old, to_status=new, effective_on=on, reason=why)
            for p, row in enumerate(plan.people) for old, new, on, why in row.changes
        ):
            StatusChange.objects.bulk_create(batch)
            changes += len(batch)

        for batch in _batches(
            Position(person_id=person_ids[row.person], organisation_id=org_ids[row.organisation],
                     title=row.title, since=row.since)
            for row in plan.positions
        ):
            Position.objects.bulk_create(batch)

        # One entry, so that the audit log says where all these people came from.
        record(None, "demo.seed", object_type="demo.enterprise", object_repr=plan.organisations[0].name,
               after={"organisations": len(organisations), "people": len(person_ids), "memberships": memberships,
                      "positions": len(plan.positions), "status_changes": changes})

    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner picks index scans on the new tables straight away.
        with connection.cursor() as cursor:
            for model in (Organisation, Person, Membership, Position, StatusChange):
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return SeedCounts(len(organisations), len(person_ids), memberships, len(plan.positions), changes,
                      time.perf_counter() - started)
