"""Issue 11 item 1 for 民主评议, played as the attacker: someone holds the database (raw SQL, a backup at any
moment) and the audit log, and knows who handed in a 测评表 when. They must not be able to tell how anyone
graded — not by ids, row order, physical position (SQLite rowid, PostgreSQL ``ctid``), transaction ids
(``xmin``), timestamps or audit entries. Runs on SQLite and PostgreSQL; the ``xmin`` part only on PostgreSQL.

The design under attack (``docs/secret-ballots.md``): sheets are sealed while the 测评 is open; when it closes,
the grades of all sheets together are written in random order in one batch.
"""

import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from plaza.accounts.models import PoliticalStatus
from plaza.audit.models import AuditEntry
from plaza.evaluation import services
from plaza.evaluation.models import Campaign, Grade, SealedSheet, Sheet
from plaza.lib import clock
from plaza.rules.evaluation import GRADES
from plaza.testing.factories import PersonFactory, join

from .conftest import plan

SEED = 20261206
CODES = list(GRADES)


@pytest.fixture
def graders(world):
    """Four full members of branch A (all graded) and one invited 群众 (activist_a), in that order."""
    extra = []
    for number, name in (("A0041", "丁一"), ("A0042", "王五")):
        person = PersonFactory(employee_no=number, name=name, political_status=PoliticalStatus.FULL_MEMBER)
        join(person, world.branch_a)
        extra.append(person)
    return [world.secretary_a, world.member_a, *extra, world.activist_a]


def _sheets(graders) -> dict[int, dict[int, str]]:
    """What each grader (by index) gives each member: every sheet different, every grade used."""
    members = graders[:4]
    return {
        i: {m.pk: CODES[(i + j) % len(CODES)] for j, m in enumerate(members) if m.pk != grader.pk}
        for i, grader in enumerate(graders)
    }


def _physical_order() -> str:
    return "ctid" if connection.vendor == "postgresql" else "rowid"


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _hand_in(world, graders, order: list[int], year: int):
    campaign = services.open_campaign(world.secretary_a, plan(world, year=year, invited=[world.activist_a]))
    sheets = _sheets(graders)
    for index in order:
        services.submit_sheet(graders[index], campaign, sheets[index])
    return campaign


def _stored(campaign) -> list[tuple]:
    return _rows(
        f'SELECT gradee_id, "group", grade FROM evaluation_grade WHERE campaign_id = %s ORDER BY {_physical_order()}',
        [campaign.pk],
    )


ORDERS = ([0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 4, 0, 3, 1])


@pytest.mark.django_db(transaction=True)
def test_while_the_test_is_open_no_grade_is_readable(world, graders):
    campaign = _hand_in(world, graders, ORDERS[0], clock.today().year)
    assert _rows("SELECT count(*) FROM evaluation_grade WHERE campaign_id = %s", [campaign.pk]) == [(0,)]
    sealed = [r[0] for r in _rows("SELECT sealed FROM evaluation_sealedsheet WHERE campaign_id = %s", [campaign.pk])]
    assert len(sealed) == len(graders) == Sheet.objects.filter(campaign=campaign).count()
    assert len({len(s) for s in sealed}) == 1  # three grades from a member, four from the invited: one length
    assert not any(code in s for s in sealed for code in CODES)


@pytest.mark.django_db(transaction=True)
def test_after_closing_the_grades_order_follows_neither_sheets_nor_graders(world, graders, monkeypatch):
    """With the shuffle's seed fixed, the stored order of the grades is the same whatever order the sheets came
    in: it depends on the grades and chance only, and grades of one sheet are not kept together."""
    stored = []
    sheets = _sheets(graders)
    for year, order in enumerate(ORDERS, start=clock.today().year):
        monkeypatch.setattr(services, "_shuffle", random.Random(SEED).shuffle)
        campaign = _hand_in(world, graders, order, year)
        services.close_campaign(world.secretary_a, campaign)
        stored.append(_stored(campaign))
        assert not SealedSheet.objects.filter(campaign=campaign).exists()
        assert _rows("SELECT seal_key FROM evaluation_campaign WHERE id = %s", [campaign.pk]) == [("",)]
    given = [(g, "other" if i == 4 else "member", c) for i in ORDERS[0] for g, c in sheets[i].items()]
    assert sorted(stored[0]) == sorted(given)  # every grade, exactly as given
    assert stored[0] == stored[1] == stored[2]  # the same physical order whatever the order of handing in
    assert stored[0] != given
    # and that order is exactly the campaign's grades sorted by content, then shuffled as one deck: no sheet's
    # grades stand together, so the rows cannot even be cut into sheets (a member's sheet lacks their own grade)
    deck = sorted(given)
    random.Random(SEED).shuffle(deck)
    assert stored[0] == deck
    assert Grade._meta.pk.get_internal_type() == "UUIDField"


@pytest.mark.django_db(transaction=True)
def test_no_time_and_no_audit_entry_per_grader(world, graders):
    campaign = services.open_campaign(world.secretary_a, plan(world, invited=[world.activist_a]))
    opened = AuditEntry.objects.filter(action="evaluation.open").latest("id")
    sheets = _sheets(graders)
    for index in (0, 4, 1):
        services.submit_sheet(graders[index], campaign, sheets[index])
    services.close_campaign(world.secretary_a, campaign)
    closed = AuditEntry.objects.filter(action="evaluation.close").latest("id")
    between = _rows("SELECT count(*) FROM audit_auditentry WHERE id > %s AND id < %s", [opened.pk, closed.pk])
    assert between == [(0,)]  # handing in a sheet writes nothing to the audit log
    assert closed.after["sheets"] == 3
    with connection.cursor() as cursor:
        for table, allowed in (
            ("evaluation_grade", set()),
            ("evaluation_sealedsheet", set()),
            ("evaluation_sheet", {"DateField"}),  # the day a sheet was handed in, never the time
        ):
            columns = connection.introspection.get_table_description(cursor, table)
            types = {connection.introspection.get_field_type(c.type_code, c) for c in columns}
            assert types & {"DateField", "DateTimeField", "TimeField", "DurationField"} == allowed, table


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_every_grade_carries_the_closing_transactions_id_not_a_graders(world, graders):
    if connection.vendor != "postgresql":
        pytest.skip("xmin and ctid are PostgreSQL's")
    campaign = _hand_in(world, graders, ORDERS[2], clock.today().year)
    sheets_xmin = {x for (x,) in _rows("SELECT xmin::text FROM evaluation_sheet WHERE campaign_id = %s", [campaign.pk])}
    assert len(sheets_xmin) == len(graders)
    services.close_campaign(world.secretary_a, campaign)
    grades_xmin = {x for (x,) in _rows("SELECT xmin::text FROM evaluation_grade WHERE campaign_id = %s", [campaign.pk])}
    assert len(grades_xmin) == 1 and not grades_xmin & sheets_xmin
    campaign_xmin = _rows("SELECT xmin::text FROM evaluation_campaign WHERE id = %s", [campaign.pk])[0][0]
    assert grades_xmin == {campaign_xmin}  # written by the close


@pytest.mark.django_db
def test_a_tampered_sheet_is_refused_not_counted(world, graders):
    campaign = _hand_in(world, graders, [0, 1], clock.today().year)
    first = SealedSheet.objects.filter(campaign=campaign).first()
    SealedSheet.objects.filter(pk=first.pk).update(sealed=first.sealed[::-1])
    with pytest.raises(ValidationError, match="无法打开"):
        services.close_campaign(world.secretary_a, campaign)
    SealedSheet.objects.filter(pk=first.pk).delete()
    with pytest.raises(ValidationError, match="不一致"):
        services.close_campaign(world.secretary_a, campaign)
    campaign.refresh_from_db()
    assert campaign.state == "open" and not Grade.objects.exists()
    Campaign.objects.filter(pk=campaign.pk).update(seal_key="")
    with pytest.raises(ValidationError, match="无法密封保存"):
        services.submit_sheet(graders[2], campaign, _sheets(graders)[2])
    assert Sheet.objects.filter(campaign=campaign).count() == 2


@pytest.mark.django_db
def test_the_upgrade_rewrites_grades_stored_the_old_way_and_seals_open_campaigns(world, graders):
    import importlib

    from django.apps import apps

    from plaza.evaluation import queries

    migration = importlib.import_module("plaza.evaluation.migrations.0002_sealed_sheets")
    campaign = services.open_campaign(world.secretary_a, plan(world, invited=[world.activist_a]))
    Campaign.objects.filter(pk=campaign.pk).update(seal_key="")  # as it was before the upgrade
    Sheet.objects.create(campaign=campaign, grader=graders[4], submitted_on=clock.today())
    old = [Grade.objects.create(campaign=campaign, gradee=m, grade="qualified", group="other") for m in graders[:4]]
    migration.seal_and_reshuffle(apps, None)
    assert not set(Grade.objects.values_list("pk", flat=True)) & {g.pk for g in old}
    assert Grade.objects.count() == 4
    campaign.refresh_from_db()
    assert campaign.seal_key
    services.submit_sheet(graders[0], campaign, _sheets(graders)[0])
    services.close_campaign(world.secretary_a, campaign)
    assert sum(t.votes for t in queries.tally(campaign).values()) == 4 + 3
