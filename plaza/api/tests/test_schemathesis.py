"""Property-based check of the whole API against its own OpenAPI schema: no input answers 500, every
response matches the schema, and every input the schema refuses is refused (4xx, never 2xx or 5xx).
Runs in-process through the WSGI handler, as the branch secretary."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection

from plaza.api.api import api
from plaza.api.auth import issue_token

#: Each case builds its own data (``world``): the cases may run on any xdist worker (conftest.py).
pytestmark = pytest.mark.spread


def _schema(mode: GenerationMode) -> schemathesis.BaseSchema:
    """The schema as the API states it (read in-process: the published one needs a login), run in-process."""
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    loaded.app = WSGIHandler()
    loaded.config.generation.update(modes=[mode])
    return loaded


#: Every write is in the positive run, the voice and union ones included: a refusal by the data (a category switched
#: off, a date after today, an item not answered yet, not a union member) is a 409 and a full posting limit a 429,
#: both declared on the route with the reason as JSON (plaza.lib.conflicts), so "schema-valid but refused" is an
#: answer the schema states. NUL is refused in every text (PostgreSQL cannot store it: BodyIn and the hostile-input
#: middleware answer 422/400), a house rule the schema does not repeat on each string; the negative run sends it.
schema = _schema(GenerationMode.POSITIVE)
schema.config.generation.update(allow_x00=False)
#: Inputs that break the schema: wrong types, nulls, out-of-range numbers, missing or extra fields.
negative = _schema(GenerationMode.NEGATIVE)


def _headers(token: str) -> dict[str, str]:
    # The WSGI transport does not decompress: ask for the answer as it is (GZipMiddleware then leaves it).
    return {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}


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
    case.call_and_validate(headers=_headers(token))


@pytest.mark.django_db
@negative.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_refuses_what_its_schema_refuses(case, token, keep_test_connection):  # noqa: ANN001
    """Issue 11 item 9: a body or parameter the schema forbids is a 4xx — not an order, not a 500."""
    response = case.call(headers=_headers(token))
    case.validate_response(response, checks=[not_a_server_error, negative_data_rejection])
