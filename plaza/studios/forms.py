from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.lib.fields import DateField
from plaza.lib.params import parse_month
from plaza.lib.widgets import DateInput
from plaza.orgs.forms import OrganisationChoiceField

from .models import AchievementKind, CraftKind, HonourKind, HonourLevel, PatentType, StudioKind


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files]


class StudioForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("所属组织"), queryset=None)
    name = forms.CharField(label=_("工作室名称"), max_length=80)
    kind = forms.ChoiceField(label=_("类别"), choices=StudioKind.choices, initial=StudioKind.CRAFTSMAN)
    leader = PersonNumberField(label=_("领办人工号"), max_length=32)
    field = forms.CharField(label=_("专业领域"), max_length=120)
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    founded_on = DateField(label=_("成立日期"), widget=DateInput())

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MemberForm(forms.Form):
    person = PersonNumberField(label=_("成员工号"), max_length=32)
    role = forms.CharField(label=_("角色（如 骨干、学员）"), max_length=40, required=False)


class AchievementForm(forms.Form):
    kind = forms.ChoiceField(label=_("成果类别"), choices=AchievementKind.choices)
    title = forms.CharField(label=_("名称"), max_length=160)
    achieved_on = DateField(label=_("日期"), widget=DateInput())
    patent_type = forms.ChoiceField(
        label=_("专利类型（专利必填）"), choices=[("", "—"), *PatentType.choices], required=False
    )
    number = forms.CharField(label=_("专利号/证书编号"), max_length=60, required=False)
    person = PersonNumberField(label=_("取得等级的成员工号（技能等级必填）"), max_length=32, required=False)
    evidence = forms.FileField(label=_("证明材料（不超过 20 MB）"), required=False)


class CraftForm(forms.Form):
    name = forms.CharField(label=_("绝活名称（以创造者名字命名）"), max_length=80)
    kind = forms.ChoiceField(label=_("类别"), choices=CraftKind.choices)
    creator = PersonNumberField(label=_("创造者工号"), max_length=32)
    studio = forms.ModelChoiceField(label=_("所属工作室（可不选）"), queryset=None, required=False)
    description = forms.CharField(label=_("内容说明"), widget=forms.Textarea(attrs={"rows": 4}))
    used_in = forms.CharField(label=_("应用场景"), max_length=200)
    video_url = forms.URLField(label=_("视频链接（可不填）"), required=False, assume_scheme="https")
    pictures = PhotosField(
        label=_("图片（可多选，最多 6 张）"), required=False, widget=MultipleFileInput(attrs={"accept": "image/*"})
    )

    def __init__(self, *args: Any, studios: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios


class LearnerForm(forms.Form):
    person = PersonNumberField(label=_("学会者工号"), max_length=32)


class HonourForm(forms.Form):
    holder = PersonNumberField(label=_("个人工号（授予个人时填写）"), max_length=32, required=False)
    organisation = OrganisationChoiceField(label=_("组织（授予组织时选择）"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("荣誉类别"), choices=HonourKind.choices)
    level = forms.ChoiceField(label=_("级别"), choices=HonourLevel.choices)
    title = forms.CharField(label=_("荣誉名称"), max_length=120)
    awarded_on = DateField(label=_("授予日期"), widget=DateInput())
    awarded_by = forms.CharField(label=_("授予单位"), max_length=80, required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


SKILL_LINE = re.compile(r"^(?P<name>.+?)[\s,，|｜]+(?P<day>\d{4}-\d{2}-\d{2})$")


class PairForm(forms.Form):
    studio = forms.ModelChoiceField(label=_("工作室"), queryset=None)
    mentor = PersonNumberField(label=_("师傅工号"), max_length=32)
    apprentice = PersonNumberField(label=_("徒弟工号"), max_length=32)
    starts_on = DateField(label=_("带教开始"), widget=DateInput())
    ends_on = DateField(label=_("带教结束"), widget=DateInput())
    goals = forms.CharField(label=_("带教目标"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    skills = forms.CharField(
        label=_("要学的技能（每行一项：技能名称 计划掌握日期，如“拧紧工艺 2026-06-30”）"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, studios: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios

    def clean_skills(self) -> list[tuple[str, date]]:
        found = []
        for n, line in enumerate(self.cleaned_data["skills"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            match = SKILL_LINE.match(line)
            day = date.fromisoformat(match["day"]) if match and _valid(match["day"]) else None
            if match is None or day is None:
                raise forms.ValidationError(
                    _("第 %(n)s 行应为“技能名称 计划日期”，日期如 2026-06-30。"), params={"n": n}
                )
            found.append((match["name"].strip(), day))
        return found


def _valid(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


class MonthInput(forms.TextInput):
    input_type = "month"


class CheckInForm(forms.Form):
    month = forms.CharField(label=_("月份"), widget=MonthInput())
    text = forms.CharField(label=_("本月带教或学习情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("month", f"{clock.today():%Y-%m}")

    def clean_month(self) -> date:
        found = parse_month(self.cleaned_data["month"])
        if found is None:
            raise forms.ValidationError(_("请选择月份。"))
        return found


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("不予签认的原因"), max_length=300)


class FinishForm(forms.Form):
    result = forms.CharField(label=_("带教成果"), widget=forms.Textarea(attrs={"rows": 3}))
    grade_gained = forms.CharField(label=_("取得的技能等级（如 高级工、技师，可不填）"), max_length=40, required=False)
    crafts = forms.ModelMultipleChoiceField(label=_("学会的绝活（可不选）"), queryset=None, required=False)

    def __init__(self, *args: Any, crafts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["crafts"].queryset = crafts
