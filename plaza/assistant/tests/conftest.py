import pytest

from plaza.assistant.demo import seed_demo_examples, seed_demo_knowledge


@pytest.fixture
def knowledge(db):  # noqa: ANN001, ANN201
    """The demo knowledge base (nine Markdown documents) with its example questions (常见问法)."""
    seed_demo_knowledge()
    seed_demo_examples()
