from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.lib.fields import DateField
from plaza.lib.widgets import DateInput
from plaza.orgs.forms import OrganisationChoiceField, OrganisationMultipleChoiceField

from .models import Grade, Kind, PostKind, PostRating, RiskLevel, Role, Theme
from .services import MAX_POINTS


class PersonNumberField(forms.CharField):
    """A person chosen by 工号 (employee number): the field's value is the person."""

    def clean(self, value: Any) -> Any:
        number = super().clean(value)
        if not number:
            return None
        person = Person.objects.filter(employee_no=number.strip(), is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("找不到工号为 %(n)s 的人员。"), params={"n": number})
        return person


class ProjectForm(forms.Form):
    branch = OrganisationChoiceField(label=_("承担支部"), queryset=None)
    title = forms.CharField(label=_("项目名称"), max_length=120)
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices)
    theme = forms.ChoiceField(label=_("主题"), choices=Theme.choices)
    goal = forms.CharField(label=_("项目目标"), widget=forms.Textarea(attrs={"rows": 3}))
    lead = PersonNumberField(label=_("项目负责人工号"), max_length=32)
    starts_on = DateField(label=_("开始日期"), widget=DateInput())
    ends_on = DateField(label=_("计划完成日期"), widget=DateInput())
    partners = OrganisationMultipleChoiceField(
        label=_("合作支部（联合项目，可不选）"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args: Any, branches: Any = None, partners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["partners"].queryset = partners
        if not self.is_bound:
            self.initial.setdefault("starts_on", clock.today())


class TargetForm(forms.Form):
    name = forms.CharField(label=_("指标名称"), max_length=80)
    unit = forms.CharField(label=_("单位"), max_length=20)
    target_value = forms.DecimalField(label=_("目标值"), max_digits=14, decimal_places=2)


class MemberForm(forms.Form):
    person = PersonNumberField(label=_("成员工号"), max_length=32)
    role = forms.ChoiceField(label=_("角色"), choices=[c for c in Role.choices if c[0] != Role.LEAD])
    duty = forms.CharField(label=_("分工"), max_length=120, required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点名称"), max_length=120)
    due_on = DateField(label=_("计划日期"), widget=DateInput())
    owner = PersonNumberField(label=_("节点负责人工号"), max_length=32)


class RiskForm(forms.Form):
    description = forms.CharField(label=_("风险"), max_length=200)
    level = forms.ChoiceField(label=_("等级"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM)
    mitigation = forms.CharField(label=_("应对措施"), max_length=300, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    milestone = forms.ModelChoiceField(label=_("相关节点（可不选）"), queryset=None, required=False)
    photos = PhotosField(
        label=_("现场照片（可多选，最多 6 张）"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args: Any, milestones: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("文件（不超过 20 MB）"))


class ResultsForm(forms.Form):
    result = forms.CharField(label=_("项目成果"), widget=forms.Textarea(attrs={"rows": 4}))
    savings = forms.DecimalField(label=_("创效（万元，可不填）"), max_digits=12, decimal_places=2, required=False)
    value = forms.CharField(label=_("其他价值（可不填）"), max_length=300, required=False)

    def __init__(self, *args: Any, targets: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for target in self.targets:
            self.fields[f"target_{target.pk}"] = forms.DecimalField(
                label=_("%(name)s 完成值（目标 %(v)s %(u)s）")
                % {"name": target.name, "v": target.target_value, "u": target.unit},
                max_digits=14,
                decimal_places=2,
                required=False,
            )

    def achieved(self) -> dict[int, Any]:
        return {t.pk: self.cleaned_data.get(f"target_{t.pk}") for t in self.targets}


class ReviewForm(forms.Form):
    grade = forms.ChoiceField(label=_("评审等次"), choices=Grade.choices)
    comment = forms.CharField(label=_("评审意见"), widget=forms.Textarea(attrs={"rows": 3}))
    points = forms.IntegerField(
        label=_("每位成员奖励积分"), min_value=0, max_value=MAX_POINTS, initial=0, required=False
    )


class PostForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("所属支部"), queryset=None)
    kind = forms.ChoiceField(label=_("类别"), choices=PostKind.choices)
    name = forms.CharField(label=_("名称"), max_length=80)
    holder = PersonNumberField(label=_("党员工号"), max_length=32)
    scope = forms.CharField(label=_("岗位/区域范围"), max_length=200)
    commitment = forms.CharField(label=_("承诺"), widget=forms.Textarea(attrs={"rows": 3}))
    since = DateField(label=_("设立日期"), widget=DateInput())

    def __init__(self, *args: Any, branches: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = branches


class PostReviewForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    rating = forms.ChoiceField(label=_("评议结果"), choices=PostRating.choices)
    comment = forms.CharField(label=_("评议意见"), max_length=300, required=False)
