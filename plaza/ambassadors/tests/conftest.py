import pytest
from django.core.cache import cache

from plaza.ambassadors import poster, sms


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):  # noqa: ANN001, ANN202
    """Each test starts with empty rate limits and SMS store, and posters cached in its own folder."""
    cache.clear()
    sms.SENT.clear()
    settings.MEDIA_ROOT = tmp_path
    settings.PLAZA_SMS_SENDER = sms.DEFAULT_SENDER
    poster.cjk_font_path.cache_clear()
    yield
    cache.clear()
