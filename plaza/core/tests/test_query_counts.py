"""Query counts of the ten busiest pages and API calls (issue 13, a stricter suite): each is measured with N
and with 3N rows of what it lists, and the count must not grow with the data (an N+1 fails here), and stays
within the bound measured when this was written (``django_assert_max_num_queries``; the same on SQLite and
PostgreSQL). The page must show the last row made, so what is counted is what is rendered. A page that needs
more queries for a new feature raises its bound here, with the reason in the commit."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaza.accounts.models import PoliticalStatus
from plaza.audit import actions
from plaza.audit.services import record
from plaza.orgs.models import Level
from plaza.testing.factories import PersonFactory, add_org, appoint, join

N = 3  # rows before; then 3N
_serial = itertools.count(1)


_last: list[str] = []  # the name of the last row a builder made: the page must show it


def _count(client: Any, url: str, data: dict | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response.content.decode()


def _flat(
    client: Any,
    url: str,
    grow: Callable[[int], None],
    bound: int,
    django_assert_max_num_queries: Any,
    data: dict | None = None,
) -> tuple[int, int]:
    """Grow to N rows, measure; grow to 3N, measure within ``bound``; the second count may not be larger."""
    grow(N)
    _count(client, url, data)  # warm caches (session, local rules, content types) so both counts are alike
    small, _body = _count(client, url, data)
    grow(2 * N)
    with django_assert_max_num_queries(bound):
        large, body = _count(client, url, data)
    shown = body.encode().decode("unicode_escape") if body.startswith(("{", "[")) else body  # JSON escapes
    assert _last and _last[-1] in shown, f"{url} does not show the rows it is measured with"
    assert large <= small, f"{url}: {small} queries with {N} rows but {large} with {3 * N}: an N+1"
    return small, large


def _person(branch: Any, **extra: Any) -> Any:
    n = next(_serial)
    person = PersonFactory(employee_no=f"Q{n:05d}", name=f"测试{n}", **extra)
    _last.append(person.name)
    join(person, branch)
    return person


# ------------------------------------------------------------------------------------------------ builders


def _articles(world: Any) -> Callable[[int], None]:
    from plaza.learning.tests.helpers import article

    def grow(n: int) -> None:
        for _ in range(n):
            _last.append(f"学习文章{next(_serial)}")
            article(world, _last[-1], topics="党章")

    return grow


def _meetings(world: Any) -> Callable[[int], None]:
    from plaza.meetings import services
    from plaza.meetings.models import Kind

    def grow(n: int) -> None:
        for i in range(n):
            starts_at = timezone.now() + timedelta(days=(3 + i) * (1 if i % 2 else -1))
            services.plan_meeting(
                world.secretary_a,
                world.branch_a,
                kind=Kind.THEME_DAY,
                topic=_last.append(f"主题党日{next(_serial)}") or _last[-1],
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                place="会议室",
            )

    return grow


def _pipelines(world: Any) -> Callable[[int], None]:
    from plaza.recruitment import services

    def grow(n: int) -> None:
        for _ in range(n):
            person = _person(world.branch_a, birth_date=date(1995, 1, 1))
            services.open_pipeline(
                world.secretary_a, person, world.branch_a, applied_on=timezone.localdate() - timedelta(days=40)
            )

    return grow


# ------------------------------------------------------------------------------------------------- pages


@pytest.mark.django_db
def test_home(world, client, django_assert_max_num_queries):
    from plaza.notify import services as notify

    articles, meetings = _articles(world), _meetings(world)

    def grow(n: int) -> None:
        articles(n)
        meetings(n)
        for _ in range(n):
            key = str(next(_serial))
            due = date(2030, 1, 1) - timedelta(days=int(key))  # the newest is due first: on the first five
            notify.add_task(world.member_a, f"待办{key}", source_type="test", source_id=key, due_on=due)
            _last.append(f"待办{key}")

    client.force_login(world.member_a)
    # 11 since issues 15-19: the union and League functions ask once each whether the viewer is a member/officer;
    # 12 since issue 14's banner of pinned news (one query, whatever the number of articles)
    _flat(client, "/", grow, 12, django_assert_max_num_queries)


@pytest.mark.django_db
def test_learning_list(world, client, django_assert_max_num_queries):
    client.force_login(world.member_a)
    _flat(client, "/learning/", _articles(world), 9, django_assert_max_num_queries)


@pytest.mark.django_db
def test_article(world, client, django_assert_max_num_queries):
    from plaza.learning.models import ArticleFile
    from plaza.learning.tests.helpers import article

    found = article(world, "学习党章", topics="党章")

    def grow(n: int) -> None:
        for _ in range(n):
            _last.append(f"附件{next(_serial)}")
            ArticleFile.objects.create(article=found, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"), name=_last[-1])

    client.force_login(world.member_a)
    _flat(
        client, f"/learning/articles/{found.pk}/", grow, 10, django_assert_max_num_queries
    )  # 10: whether its 阅读豆 are had


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["staff", "secretary_a"])
def test_recruitment_board(world, client, django_assert_max_num_queries, viewer):
    client.force_login(getattr(world, viewer))
    _flat(
        client,
        "/recruitment/",
        _pipelines(world),
        # staff +3: the desktop side navigation (issue 14); +5 more since issues 15-19: the new apps' office
        # functions each ask once whether the viewer may open them (a fixed cost, not one per row)
        {"staff": 17, "secretary_a": 12}[viewer],
        django_assert_max_num_queries,
    )


@pytest.mark.django_db
def test_meetings_list(world, client, django_assert_max_num_queries):
    client.force_login(world.member_a)
    _flat(client, "/meetings/", _meetings(world), 8, django_assert_max_num_queries)


@pytest.mark.django_db
def test_compliance_board(world, client, django_assert_max_num_queries):
    def grow(n: int) -> None:
        for _ in range(n):
            k = next(_serial)
            branch = add_org(world.committee, f"第{k}党支部", f"Q{k:04d}", Level.BRANCH)
            appoint(_person(branch, political_status=PoliticalStatus.FULL_MEMBER), branch)
            _last.append(branch.name)
        _meetings(world)(n)
        _last.append(branch.name)

    client.force_login(world.staff)
    # 11: +3 for the desktop back office's side navigation on staff pages (issue 14; fixed, not per row)
    _flat(client, "/meetings/compliance/", grow, 16, django_assert_max_num_queries)  # +5: side navigation, issues 15-19


@pytest.mark.django_db
def test_dues_roll(world, client, django_assert_max_num_queries):
    from plaza.dues import services as dues

    def grow(n: int) -> None:
        for _ in range(n):
            person = _person(world.branch_a, political_status=PoliticalStatus.FULL_MEMBER)
            dues.set_base(
                world.secretary_a, person, category="in_service", base=Decimal("8000"), effective_from=date(2025, 1, 1)
            )

    client.force_login(world.secretary_a)
    _flat(client, f"/dues/org/{world.branch_a.pk}/", grow, 9, django_assert_max_num_queries, {"month": "2025-06"})


@pytest.mark.django_db
def test_my_points(world, client, django_assert_max_num_queries):
    from plaza.points import services as points

    def grow(n: int) -> None:
        for _ in range(n):
            _last.append(f"阅读第{next(_serial)}篇")
            points.earn(world.member_a, 2, reason=_last[-1], source_type="reading", key=_last[-1])

    client.force_login(world.member_a)
    _flat(client, "/points/", grow, 8, django_assert_max_num_queries)


@pytest.mark.django_db
def test_mall(world, client, django_assert_max_num_queries):
    from plaza.points.models import Item

    def grow(n: int) -> None:
        for _ in range(n):
            _last.append(f"党徽{next(_serial)}")
            Item.objects.create(name=_last[-1], price=5, stock=3)

    client.force_login(world.member_a)
    _flat(client, "/points/mall/", grow, 8, django_assert_max_num_queries)


@pytest.mark.django_db
def test_audit_log(world, client, django_assert_max_num_queries):
    pipelines = _pipelines(world)

    def grow(n: int) -> None:
        pipelines(n)  # each writes entries about a pipeline and a person
        for _ in range(n):
            _last.append(f"乙{next(_serial)}")
            record(world.staff, actions.ORGS_UPDATE, world.branch_a, before={"name": "甲"}, after={"name": _last[-1]})

    client.force_login(world.staff)
    # 11: +2 for the desktop back office's side navigation on staff pages (issue 14; fixed, not per row)
    _flat(client, "/office/audit/", grow, 16, django_assert_max_num_queries)  # +5: side navigation, issues 15-19


@pytest.mark.django_db
def test_api_people(world, client, django_assert_max_num_queries):
    def grow(n: int) -> None:
        for _ in range(n):
            _person(world.branch_a, political_status=PoliticalStatus.FULL_MEMBER)

    client.force_login(world.staff)
    _flat(client, "/api/v1/people", grow, 5, django_assert_max_num_queries, {"page_size": 100})
