"""Shared pytest fixtures: a small enterprise with two branches, so every test can try crossing them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from plaza.accounts.models import Person, PoliticalStatus
from plaza.orgs.models import Organisation

from .factories import Level as L
from .factories import PersonFactory, add_org, appoint, join
from .factories import Title as T


@dataclass
class World:
    committee: Organisation
    general_branch: Organisation
    branch_a: Organisation
    branch_b: Organisation
    group_a1: Organisation
    union: Organisation
    league: Organisation
    admin: Person
    staff: Person  # 党委组织部 staff: everything under the committee
    secretary_a: Person
    secretary_b: Person
    member_a: Person
    member_b: Person
    activist_a: Person
    employee: Person  # 群众, in the union only


@pytest.fixture
def world(db) -> World:  # noqa: ANN001
    return build_world()


def build_world() -> World:
    """The enterprise of ``world``, for a fixture that builds it once for a module (the scoping walk)."""
    committee = add_org(None, "上汽通用汽车党委", "P0001", L.COMMITTEE)
    general_branch = add_org(committee, "东岳动力总成党总支", "P0100", L.GENERAL_BRANCH)
    branch_a = add_org(general_branch, "装调车间党支部", "P0101", L.BRANCH)
    branch_b = add_org(committee, "物流和采购党支部", "P0200", L.BRANCH)
    group_a1 = add_org(branch_a, "装调一组党小组", "P0102", L.GROUP)
    union = add_org(None, "上汽通用汽车工会", "U0001", L.UNION)
    league = add_org(None, "上汽通用汽车团委", "L0001", L.LEAGUE_COMMITTEE)

    admin = PersonFactory(employee_no="admin", name="系统管理员", is_staff=True, is_superuser=True)
    staff = PersonFactory(
        employee_no="S0001", name="王组织", political_status=PoliticalStatus.FULL_MEMBER, is_staff=True
    )
    secretary_a = PersonFactory(employee_no="A0001", name="刘昭涛", political_status=PoliticalStatus.FULL_MEMBER)
    secretary_b = PersonFactory(employee_no="B0001", name="位正友", political_status=PoliticalStatus.FULL_MEMBER)
    member_a = PersonFactory(employee_no="A0002", name="张建国", political_status=PoliticalStatus.FULL_MEMBER)
    member_b = PersonFactory(employee_no="B0002", name="李红梅", political_status=PoliticalStatus.PROBATIONARY)
    activist_a = PersonFactory(employee_no="A0003", name="陈晓", political_status=PoliticalStatus.ACTIVIST)
    employee = PersonFactory(employee_no="E0001", name="赵群众")

    join(staff, committee)
    for person in (secretary_a, member_a, activist_a):
        join(person, branch_a)
    join(member_a, union)
    for person in (secretary_b, member_b):
        join(person, branch_b)
    join(employee, union)
    appoint(staff, committee, T.ORG_DEPT_STAFF)
    appoint(secretary_a, branch_a, T.SECRETARY)
    appoint(secretary_b, branch_b, T.SECRETARY)
    return World(
        committee,
        general_branch,
        branch_a,
        branch_b,
        group_a1,
        union,
        league,
        admin,
        staff,
        secretary_a,
        secretary_b,
        member_a,
        member_b,
        activist_a,
        employee,
    )


@pytest.fixture
def login(client):  # noqa: ANN001, ANN201
    """``login(person)`` signs the test client in as that person and returns the client."""

    def _login(person: Person):  # noqa: ANN202
        client.force_login(person)
        return client

    return _login


@pytest.fixture
def committed(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    """``with committed(): service(...)`` runs what the service queued for after its commit, as a real commit
    would: a test runs inside a transaction that never commits, so notices (sent by the worker once the
    write commits; inline in tests, Celery being eager) would otherwise never go out."""

    def _committed():  # noqa: ANN202
        return django_capture_on_commit_callbacks(execute=True)

    return _committed


@pytest.fixture(scope="session")
def built_assets() -> None:
    """The front-end libraries in build/vendor (htmx, ECharts, Quill, Swagger UI) that pages load: built from
    node_modules when missing (scripts/build_assets.py), and a clear failure when npm has not been run."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "scripts"))
    try:
        import build_assets
    finally:
        sys.path.remove(str(root / "scripts"))
    if all((build_assets.VENDOR / name).exists() for name in build_assets.FILES.values()) and all(
        (build_assets.VENDOR / "icons" / f"{name}.svg").exists() for name in build_assets.icon_names()
    ):
        return
    result = subprocess.run([sys.executable, str(root / "scripts" / "build_assets.py")], capture_output=True, text=True)
    if result.returncode:
        pytest.fail(f"front-end assets are missing and cannot be built (run `npm ci` first): {result.stderr.strip()}")
