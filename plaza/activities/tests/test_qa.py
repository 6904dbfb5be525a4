"""Defects found walking 活动与共建 and E线声音's staff forms (issue 16 QA): Django's "---------" as the empty
choice of an organisation on a Chinese page; the parts of an activity row running together."""

import re

from django.urls import reverse

from plaza.voice.tests.helpers import categories, union_chair

from .helpers import make_activity


def test_organisation_choices_say_please_choose(world, login):
    client = login(world.staff)
    for url in (reverse("activities:new"), reverse("activities:new_partner")):
        page = client.get(url).content.decode()
        assert "---------" not in page and "请选择" in page, url


def test_voice_staff_forms_say_please_choose(world, login):
    cats = categories(world)
    page = login(world.staff).get(reverse("voice:edit_category", args=[cats[0].pk])).content.decode()
    assert "---------" not in page
    chair_page = login(union_chair(world)).get(reverse("voice:congresses")).content.decode()
    assert "---------" not in chair_page and "请选择" in chair_page


def test_a_row_separates_the_place_from_the_places_taken(world, login):
    """Two inline spans ran together ("会议室 已报名 24 / 40"): one line, parts separated by ·."""
    activity = make_activity(world, title="社区志愿服务")
    for url, who in ((reverse("activities:index"), world.member_a), (reverse("activities:office"), world.secretary_a)):
        page = login(who).get(url).content.decode()
        assert re.search(rf"·\s+已报名 0 / {activity.capacity}", page), url
