"""Forms for officers' changes to people and organisations. Choices are limited to the viewer's scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plaza.accounts.models import Education, Gender, PoliticalStatus
from plaza.accounts.validators import id_card_problem, phone_problem
from plaza.lib.fields import DateField
from plaza.lib.widgets import DateInput

from .models import ALLOWED_PARENTS, Level, Organisation, Title
from .permissions import TITLE_LEVELS
from .queries import choice_labels

DATE = DateInput()


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    gender = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Gender.choices], required=False)
    birth_date = DateField(label=_("出生日期"), required=False, widget=DATE)
    ethnicity = forms.CharField(label=_("民族"), max_length=16, required=False)
    education = forms.ChoiceField(label=_("学历"), choices=[("", "—"), *Education.choices], required=False)
    department = forms.CharField(label=_("部门"), max_length=128, required=False)
    job_title = forms.CharField(label=_("岗位"), max_length=128, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = forms.CharField(label=_("手机号"), max_length=11, required=False, help_text=_("留空表示不修改"))
    id_card = forms.CharField(label=_("身份证号"), max_length=18, required=False, help_text=_("留空表示不修改"))
    reason = forms.CharField(label=_("修改原因"), max_length=200, required=False)

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and (problem := phone_problem(value)):
            raise forms.ValidationError(problem)
        return value

    def clean_id_card(self) -> str:
        value = self.cleaned_data["id_card"].strip().upper()
        if value and (problem := id_card_problem(value)):
            raise forms.ValidationError(problem)
        return value

    def changes(self, person: Any) -> dict[str, Any]:
        """Only the fields that differ; blank secrets mean 'keep'."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "reason"}
        for secret in ("phone", "id_card"):
            if not data[secret]:
                data.pop(secret)
        return {k: v for k, v in data.items() if getattr(person, k) != v}


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("变更为"), choices=PoliticalStatus.choices)
    effective_on = DateField(label=_("生效日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("依据或原因"), max_length=255, help_text=_("例如：支部大会讨论通过，上级党委审批"))


class _LabelledOrganisations(ModelChoiceIterator):
    """The choices of an organisation picker, labelled all at once (:func:`plaza.orgs.queries.choice_labels`:
    one query for the parents' names, not one per organisation)."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        found = list(self.queryset)
        labels = choice_labels(found)
        for org in found:
            yield (ModelChoiceIteratorValue(self.field.prepare_value(org), org), labels[org.pk])


class _TreePicker:
    """What every organisation picker shares: tree order and labels that tell same-named organisations apart
    ("东岳动力总成党总支 › 涂装车间党支部"), whatever queryset the form is given."""

    iterator = _LabelledOrganisations

    def _set_queryset(self, queryset: QuerySet[Organisation] | None) -> None:
        if queryset is not None and not queryset.query.is_sliced:
            queryset = queryset.order_by("path")
        forms.ModelChoiceField._set_queryset(self, queryset)  # type: ignore[arg-type]

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj: Organisation) -> str:
        return choice_labels([obj])[obj.pk]


class OrganisationChoiceField(_TreePicker, forms.ModelChoiceField):
    """A picker of one organisation: in tree order, each labelled with its parent's name."""


class OrganisationMultipleChoiceField(_TreePicker, forms.ModelMultipleChoiceField):
    """A picker of several organisations: in tree order, each labelled with its parent's name."""


class MembershipForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("调入组织"), queryset=Organisation.objects.none())
    since = DateField(label=_("起始日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PositionForm(forms.Form):
    employee_no = forms.CharField(label=_("工号"), max_length=32)
    title = forms.ChoiceField(label=_("职务"), choices=Title.choices)
    since = DateField(label=_("任职日期"), widget=DATE, initial=timezone.localdate)
    until = DateField(label=_("任期届满日期"), widget=DATE, required=False)

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisation is not None:  # offer the titles that exist there; the service says why any other is refused
            self.fields["title"].widget.choices = [
                (value, label) for value, label in Title.choices if organisation.level in TITLE_LEVELS[value]
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("until") and data.get("since") and data["until"] < data["since"]:
            self.add_error("until", _("任期届满日期不能早于任职日期。"))
        return data


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=128)
    code = forms.CharField(label=_("编码"), max_length=32)
    level = forms.ChoiceField(label=_("类型"), choices=Level.choices)
    established_on = DateField(label=_("成立日期"), widget=DATE, required=False)

    def __init__(self, *args: Any, parent: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            (value, label) for value, label in Level.choices if parent.level in ALLOWED_PARENTS[value]
        ]
