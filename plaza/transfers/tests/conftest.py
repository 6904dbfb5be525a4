from datetime import date

import pytest

TODAY = date(2025, 6, 16)


@pytest.fixture(autouse=True)
def fixed_today(settings):
    settings.PLAZA_TODAY = TODAY
