"""Forms of 答题: a question of the bank, the import upload, a contest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from plaza.lib.fields import DateField, DateTimeField
from plaza.lib.widgets import DateInput, DateTimeInput
from plaza.orgs.forms import OrganisationChoiceField, OrganisationMultipleChoiceField

from . import services
from .imports import parse_answer
from .models import Difficulty, Draw, Kind, Mode, Question, TeamBasis, TeamRule

LETTERS = "ABCDEF"


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=Kind.choices)
    text = forms.CharField(label=_("题干"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    option_a = forms.CharField(label=_("选项A"), max_length=200, required=False)
    option_b = forms.CharField(label=_("选项B"), max_length=200, required=False)
    option_c = forms.CharField(label=_("选项C"), max_length=200, required=False)
    option_d = forms.CharField(label=_("选项D"), max_length=200, required=False)
    option_e = forms.CharField(label=_("选项E"), max_length=200, required=False)
    option_f = forms.CharField(label=_("选项F"), max_length=200, required=False)
    answer = forms.CharField(
        label=_("答案"),
        max_length=200,
        help_text=_("选择题填字母，如 A 或 ABD；判断题填 正确 或 错误；填空题多个可接受的答案用 | 分隔"),
    )
    explanation = forms.CharField(
        label=_("解析"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(label=_("出处"), max_length=200, required=False, help_text=_("文件、文章或产品资料"))
    tags = forms.CharField(
        label=_("标签"), max_length=200, required=False, help_text=_("用顿号分隔，如：锐歌、产品知识")
    )
    difficulty = forms.TypedChoiceField(label=_("难度"), choices=Difficulty.choices, coerce=int, initial=2)
    organisation = OrganisationChoiceField(label=_("所属组织"), queryset=None)
    expires_on = DateField(
        label=_("有效期至"), required=False, widget=DateInput(), help_text=_("产品参数等会过时的题目请填写")
    )

    def __init__(self, *args: Any, organisations: Any = None, question: Question | None = None, **kwargs: Any) -> None:
        if question is not None and not args:
            options = list(question.options) + [""] * 6
            kwargs["initial"] = {
                "kind": question.kind,
                "text": question.text,
                **{f"option_{c.lower()}": options[i] for i, c in enumerate(LETTERS)},
                "answer": _answer_text(question),
                "explanation": question.explanation,
                "source": question.source,
                "tags": "、".join(t.name for t in question.tags.all()),
                "difficulty": question.difficulty,
                "organisation": question.organisation_id,
                "expires_on": question.expires_on,
            }
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def data_object(self) -> services.QuestionData:
        d = self.cleaned_data
        options = [d[f"option_{c.lower()}"] for c in LETTERS]
        while options and not options[-1]:
            options.pop()
        answer = parse_answer(d["kind"], d["answer"].strip(), options) or []
        return services.QuestionData(
            kind=d["kind"],
            text=d["text"],
            options=options,
            answer=answer,
            explanation=d["explanation"],
            source=d["source"],
            tags=[t for t in d["tags"].replace("，", "、").replace(",", "、").split("、") if t.strip()],
            difficulty=d["difficulty"],
            organisation=d["organisation"],
            expires_on=d["expires_on"],
        )


def _answer_text(question: Question) -> str:
    if question.kind == Kind.FILL:
        return "|".join(question.answer)
    if question.kind == Kind.TRUE_FALSE:
        return "正确" if question.answer == [0] else "错误"
    return "".join(LETTERS[i] for i in question.answer)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200)


class ContestForm(forms.Form):
    title = forms.CharField(label=_("竞赛名称"), max_length=100)
    mode = forms.ChoiceField(label=_("类型"), choices=Mode.choices)
    organisation = OrganisationChoiceField(label=_("主办组织"), queryset=None)
    organisations = OrganisationMultipleChoiceField(label=_("参赛组织"), queryset=None, help_text=_("含下级组织"))
    description = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    opens_at = DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    closes_at = DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    draw = forms.ChoiceField(label=_("出题方式"), choices=Draw.choices, initial=Draw.RANDOM)
    tags = forms.ModelMultipleChoiceField(label=_("抽题标签"), queryset=None, required=False)
    easy = forms.IntegerField(label=_("容易题数"), min_value=0, max_value=50, initial=2)
    medium = forms.IntegerField(label=_("中等题数"), min_value=0, max_value=50, initial=2)
    hard = forms.IntegerField(label=_("较难题数"), min_value=0, max_value=50, initial=1)
    questions = forms.CharField(
        label=_("固定题目编号"),
        required=False,
        max_length=500,
        help_text=_("固定题目和现场赛填写题库中的题目编号，用逗号分隔，按顺序出题"),
    )
    seconds = forms.IntegerField(label=_("每题限时（秒）"), min_value=5, max_value=300, initial=20)
    attempts = forms.IntegerField(label=_("可答次数（取最好成绩）"), min_value=1, max_value=10, initial=1)
    streak = forms.BooleanField(label=_("连对加分"), required=False, initial=True)
    pass_percent = forms.IntegerField(label=_("合格答对率（%）"), min_value=1, max_value=100, initial=60)
    winners = forms.IntegerField(label=_("获奖人数"), min_value=0, max_value=100, initial=3)
    team_basis = forms.ChoiceField(label=_("组队方式"), choices=[("", "—"), *TeamBasis.choices], required=False)
    team_rule = forms.ChoiceField(label=_("团体计分"), choices=TeamRule.choices, initial=TeamRule.PARTICIPATION)
    team_best = forms.IntegerField(label=_("前N名的N"), min_value=1, max_value=50, initial=3)
    require_all = forms.BooleanField(label=_("要求全员参赛"), required=False)

    def __init__(self, *args: Any, organisations: Any = None, tags: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisations"].queryset = organisations
        self.fields["tags"].queryset = tags

    def clean_questions(self) -> list[int]:
        raw = self.cleaned_data.get("questions", "")
        ids = []
        for part in raw.replace("，", ",").replace("、", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                raise forms.ValidationError(_("题目编号应为数字，用逗号分隔。"))
            ids.append(int(part))
        return ids


class VoidForm(forms.Form):
    """Void one of the contest's questions: chosen from the list (staff do not know questions by number)."""

    question = forms.TypedChoiceField(label=_("作废的题目"), coerce=int, empty_value=None)
    reason = forms.CharField(label=_("作废原因"), max_length=200)

    def __init__(self, *args: Any, questions: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(q.pk, f"{q.pk}. {Truncator(q.text).chars(40)}") for q in questions]
        self.fields["question"].choices = [("", _("请选择题目"))] + choices


class TeamsForm(forms.Form):
    teams = forms.CharField(
        label=_("自定义队伍"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一队：队名：工号、工号……（按支部或班组组队时留空）"),
    )


class PinForm(forms.Form):
    pin = forms.CharField(label=_("6位加入码"), min_length=6, max_length=6)
