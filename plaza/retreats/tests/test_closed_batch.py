"""A batch that has set off shows its outcome only: the officer's list and export keep the members who went, and
a member who stayed on the waiting list reads 未入选, not a waiting rank that can no longer move."""

from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from plaza.retreats import queries, services
from plaza.retreats.models import SignUpStatus

from .test_retreats import TODAY, trip  # noqa: F401  (the fixture)


def test_a_past_batch_shows_the_outcome_only(trip, login, settings):  # noqa: F811
    chair, _route, batch, members, _n = trip
    for person in members:
        services.sign_up(person, batch, today=TODAY)
    allocation = services.allocate(chair, batch, method="lottery", seed="2026", today=date(2026, 4, 21))
    waiting = next(p for p in members if p.pk == allocation.waiting[0])
    # before departure: the whole list, the waiting rank
    settings.PLAZA_TODAY = date(2026, 5, 1)
    assert queries.batch_signups(batch).filter(status=SignUpStatus.WAITING).count() == 3
    page = login(chair).get(f"/retreats/office/batch/{batch.pk}/").content.decode()
    assert page.count("候补") >= 3 and 'data-testid="closed"' not in page
    assert "候补第 1 位" in login(waiting).get("/retreats/").content.decode()
    # after it set off: the members who went only
    settings.PLAZA_TODAY = date(2026, 5, 20)
    assert {s.person_id for s in queries.batch_signups(batch)} == set(allocation.winners)
    page = login(chair).get(f"/retreats/office/batch/{batch.pk}/").content.decode()
    assert 'data-testid="closed"' in page and waiting.name not in page
    sheet = load_workbook(BytesIO(login(chair).get(f"/retreats/office/batch/{batch.pk}/list.xlsx").content)).active
    names = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 2 and waiting.name not in names
    mine = login(waiting).get("/retreats/").content.decode()
    assert "候补第" not in mine and "未入选" in mine
