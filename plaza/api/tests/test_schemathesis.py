"""Property-based check of the whole API against its own OpenAPI schema: no input answers 500, and every
response matches the schema. Runs in-process through the WSGI handler, as the branch secretary."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings

from plaza.api.auth import issue_token

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def token(world) -> str:  # noqa: ANN001
    return issue_token(world.secretary_a, "schemathesis")


@pytest.fixture(autouse=True)
def keep_test_connection():  # noqa: ANN201
    """As Django's test client does: requests must not close the connection the test transaction holds."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_500_and_matches_its_schema(case, token, keep_test_connection):  # noqa: ANN001
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
