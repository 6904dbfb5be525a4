from datetime import date

import pytest

TODAY = date(2025, 6, 16)


@pytest.fixture(autouse=True)
def fixed_today(settings):
    settings.PLAZA_TODAY = TODAY


@pytest.fixture(autouse=True)
def accounts_created_with_the_memberships(request):
    """The world's accounts were created when they joined (2020), not on the day the tests run: contact is
    counted from the later of the two (``queries.with_last_contact``)."""
    if "world" not in request.fixturenames:
        return
    from datetime import datetime

    from django.utils import timezone

    from plaza.accounts.models import Person

    request.getfixturevalue("world")
    Person.objects.update(date_joined=timezone.make_aware(datetime(2020, 1, 1)))
