"""Organisation pickers tell same-named organisations apart (every plant has a 涂装车间党支部): each choice is
labelled with its parent's name, further up where that is not enough, in tree order, with one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaza.orgs.forms import MembershipForm
from plaza.orgs.models import Organisation
from plaza.orgs.queries import SEPARATOR, choice_labels, labelled
from plaza.testing.factories import Level, add_org
from plaza.vanguard.forms import ProjectForm
from plaza.voice.forms import CategoryForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def painters(world):  # noqa: ANN001, ANN201
    """Two 涂装车间党支部 under two 党总支, and two 车身车间党支部 under two same-named 党总支 of two committees."""
    dongyue = add_org(world.committee, "东岳车身党总支", "P0700", Level.GENERAL_BRANCH)
    beisheng = add_org(world.committee, "北盛车身党总支", "P0800", Level.GENERAL_BRANCH)
    wuhan = add_org(None, "武汉公司党委", "P0900", Level.COMMITTEE)
    wuhan_body = add_org(wuhan, "北盛车身党总支", "P0910", Level.GENERAL_BRANCH)
    return {
        "dongyue": add_org(dongyue, "涂装车间党支部", "P0701", Level.BRANCH),
        "beisheng": add_org(beisheng, "涂装车间党支部", "P0801", Level.BRANCH),
        "body_sh": add_org(beisheng, "车身车间党支部", "P0802", Level.BRANCH),
        "body_wh": add_org(wuhan_body, "车身车间党支部", "P0911", Level.BRANCH),
    }


def test_same_named_branches_are_labelled_by_their_parents(world, painters):  # noqa: ANN001
    labels = choice_labels(Organisation.objects.all())
    assert labels[painters["dongyue"].pk] == f"东岳车身党总支{SEPARATOR}涂装车间党支部"
    assert labels[painters["beisheng"].pk] == f"北盛车身党总支{SEPARATOR}涂装车间党支部"
    # the parents read alike too: the committee above tells them apart
    assert labels[painters["body_sh"].pk] == f"上汽通用汽车党委{SEPARATOR}北盛车身党总支{SEPARATOR}车身车间党支部"
    assert labels[painters["body_wh"].pk] == f"武汉公司党委{SEPARATOR}北盛车身党总支{SEPARATOR}车身车间党支部"
    assert labels[world.committee.pk] == "上汽通用汽车党委"  # a root is its name
    assert len(set(labels.values())) == len(labels)


def test_labels_take_one_query_and_labelled_lists_are_in_tree_order(world, painters):  # noqa: ANN001
    organisations = list(Organisation.objects.order_by("-name"))
    with CaptureQueriesContext(connection) as queries:
        found = labelled(organisations)
    assert len(queries) == 1
    assert [o.path for o in found] == sorted(o.path for o in organisations)
    assert found[0].choice_label == found[0].name  # the first root


def _options(form, field: str) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(str(value), str(label)) for value, label in form.fields[field].choices]


def test_forms_list_same_named_branches_with_different_labels_in_tree_order(world, painters):  # noqa: ANN001
    branches = Organisation.objects.filter(level=Level.BRANCH)
    for form, field in (
        (ProjectForm(branches=branches, partners=branches), "branch"),
        (ProjectForm(branches=branches, partners=branches), "partners"),
        (CategoryForm(organisations=Organisation.objects.all()), "owner"),
        (MembershipForm(organisations=branches), "organisation"),
    ):
        options = [(value, label) for value, label in _options(form, field) if value]
        labels = dict(options)
        painting = [labels[str(painters[k].pk)] for k in ("dongyue", "beisheng")]
        assert painting[0] != painting[1] and all(label.endswith("涂装车间党支部") for label in painting), field
        assert "东岳车身党总支" in painting[0] and "北盛车身党总支" in painting[1]
        paths = dict(Organisation.objects.values_list("pk", "path"))
        assert [paths[int(v)] for v, _label in options] == sorted(paths[int(v)] for v, _label in options), field


def test_a_chosen_organisation_is_still_found_by_its_id(world, painters):  # noqa: ANN001
    branches = Organisation.objects.filter(level=Level.BRANCH)
    form = MembershipForm({"organisation": painters["beisheng"].pk, "since": "2026-01-05"}, organisations=branches)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organisation"] == painters["beisheng"]
