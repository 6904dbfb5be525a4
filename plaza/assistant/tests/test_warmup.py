"""Issue 12, item 14: the index is built in the background when a process serves its first request, not inside
the first question; nothing is started when the warm-up is off (the test settings, migrations, commands)."""

import pytest
from django.core.signals import request_started

from plaza.assistant import index, services, warmup
from plaza.core import server


@pytest.fixture
def fresh():  # noqa: ANN201
    warmup.reset()
    index.forget()
    yield
    warmup.reset()


@pytest.mark.django_db(transaction=True)
def test_the_first_request_starts_the_build_in_the_background(client, fresh, settings):
    settings.PLAZA_ASSISTANT_WARMUP = True
    started = []
    original = warmup.start

    def spy(**kwargs):  # noqa: ANN003, ANN202
        thread = original(**kwargs)
        started.append(thread)
        return thread

    request_started.disconnect(dispatch_uid="assistant-warmup")
    request_started.connect(spy, dispatch_uid="assistant-warmup")
    try:
        client.get("/accounts/login/")
        client.get("/accounts/login/")
    finally:
        request_started.disconnect(dispatch_uid="assistant-warmup")
        request_started.connect(warmup.start, dispatch_uid="assistant-warmup")
    thread = started[0]
    assert thread is not None and thread.name == "assistant-warmup" and started[1:] == [None]  # once per process
    thread.join(timeout=60)
    assert warmup.ready() and warmup.seconds is not None
    built = index._current
    assert built is not None and any(e.title == "党内法规摘要" for e in built.entries)
    assert services.respond("支部党员大会多久开一次", use_llm=False).confident
    assert index._current is built  # the question used the index built in the background


def test_nothing_starts_when_the_warm_up_is_off(client, fresh, db):
    assert warmup.enabled() is False  # the test settings
    client.get("/accounts/login/")
    assert warmup.start() is None and not warmup.ready()


@pytest.mark.django_db(transaction=True)
def test_the_embedded_server_starts_the_build_as_it_starts_serving(fresh, settings, monkeypatch):
    settings.PLAZA_ASSISTANT_WARMUP = True
    started = []
    original = warmup.start
    monkeypatch.setattr(warmup, "start", lambda **kw: started.append(original(**kw)) or started[-1])
    server._warm_assistant()
    assert started and started[0] is not None and started[0].name == "assistant-warmup"
    started[0].join(timeout=60)
    assert warmup.ready() and index._current is not None
