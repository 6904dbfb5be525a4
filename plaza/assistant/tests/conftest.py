import pytest

from plaza.assistant.demo import seed_demo_knowledge


@pytest.fixture
def knowledge(db):  # noqa: ANN001, ANN201
    """The demo knowledge base (nine Markdown documents)."""
    seed_demo_knowledge()
