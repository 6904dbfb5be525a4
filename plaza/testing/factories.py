"""factory-boy factories for tests (and nothing else)."""

from __future__ import annotations

from datetime import date

import factory

from plaza.accounts.models import Person, PoliticalStatus
from plaza.accounts.validators import id_card_check_digit
from plaza.orgs.models import Level, Membership, Organisation, Position, Title

PASSWORD = "plaza-test-pw"


def _id_card(n: int) -> str:
    first17 = f"310101{1980 + n % 30:04d}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return first17 + id_card_check_digit(first17)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("employee_no",)
        skip_postgeneration_save = True

    employee_no = factory.Sequence(lambda n: f"T{n:06d}")
    name = factory.Sequence(lambda n: f"测试人员{n}")
    gender = "M"
    birth_date = date(1990, 5, 1)
    department = "东岳动力总成"
    job_title = "工程师"
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    id_card = factory.Sequence(_id_card)
    political_status = PoliticalStatus.MASSES
    password = factory.django.Password(PASSWORD)


def add_org(parent: Organisation | None, name: str, code: str, level: str) -> Organisation:
    fields = {"name": name, "code": code, "level": level}
    if parent is None:
        return Organisation.objects.add_root(fields)
    return Organisation.objects.add_child(Organisation.objects.get(pk=parent.pk), fields)


def join(person: Person, organisation: Organisation, since: date = date(2020, 1, 1)) -> Membership:
    return Membership.objects.create(person=person, organisation=organisation, since=since)


def appoint(person: Person, organisation: Organisation, title: str = Title.SECRETARY) -> Position:
    return Position.objects.create(person=person, organisation=organisation, title=title, since=date(2020, 1, 1))


__all__ = ["PASSWORD", "PersonFactory", "add_org", "appoint", "join", "Level", "Title"]
