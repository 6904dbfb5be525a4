"""plaza.lib.addresses.fixed_url: a URL name's address remembered, but never across URLconfs or script prefixes."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, path, reverse, set_script_prefix

from plaza.lib import addresses
from plaza.lib.addresses import fixed_url


def _nothing(request):  # noqa: ANN001, ANN202
    raise AssertionError("never called")


urlpatterns = [path("elsewhere/learning/", _nothing, name="learning-elsewhere")]


def test_the_address_is_reverse_s_and_is_reversed_once():
    assert fixed_url("learning:index") == reverse("learning:index")
    addresses._reversed.cache_clear()
    fixed_url("learning:index")
    fixed_url("learning:index")
    info = addresses._reversed.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_another_urlconf_and_another_script_prefix_get_their_own_answers():
    at_root = fixed_url("learning:index")
    with override_settings(ROOT_URLCONF=__name__):
        assert fixed_url("learning-elsewhere") == "/elsewhere/learning/"
        with pytest.raises(NoReverseMatch):
            fixed_url("learning:index")
    assert fixed_url("learning:index") == at_root
    set_script_prefix("/plaza/")
    try:
        assert fixed_url("learning:index") == "/plaza" + at_root
    finally:
        clear_script_prefix()
    assert fixed_url("learning:index") == at_root
