"""Test helpers: an approved union member (the union app's ``Member``, which 疗休养 eligibility asks)."""

from datetime import date

from plaza.orgs.models import Organisation
from plaza.testing.factories import join
from plaza.union.models import Member, MemberStatus


def union_member(person, organisation: Organisation, since: date) -> Member:  # noqa: ANN001
    """``person`` works in ``organisation`` since ``since`` (their years of service count from it) and is a member."""
    join(person, organisation, since=since)
    return Member.objects.create(
        person=person,
        organisation=organisation,
        status=MemberStatus.ACTIVE,
        number=f"T{person.pk:08d}",
        applied_on=since,
        joined_on=since,
    )
