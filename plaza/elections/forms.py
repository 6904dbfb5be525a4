from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib.fields import DateField
from plaza.lib.widgets import DateInput

from .models import NAME_MAX_LENGTH, Kind, Mode, name_problem


def _clean_name(value: str) -> None:
    problem = name_problem(value.strip())
    if problem:
        raise forms.ValidationError(problem)


class ElectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("选举职务"), choices=Kind.choices, initial=Kind.COMMITTEE)
    seats = forms.IntegerField(label=_("应选人数"), min_value=1, max_value=50, initial=5)
    planned_on = DateField(label=_("选举日期"), widget=DateInput())
    mode = forms.ChoiceField(label=_("投票方式"), choices=Mode.choices, initial=Mode.PHONE)


class TermForm(forms.Form):
    started_on = DateField(label=_("本届起始日期"), widget=DateInput())
    years = forms.IntegerField(
        label=_("任期（年，3–5）"),
        min_value=3,
        max_value=5,
        required=False,
        help_text=_("不填：党委 5 年，党总支、党支部 3 年"),
    )


class ShiftForm(forms.Form):
    to = DateField(label=_("经批准的换届日期"), widget=DateInput())
    reason = forms.CharField(label=_("提前或推迟的原因"), max_length=255)


class CountForm(forms.Form):
    returned = forms.IntegerField(label=_("收回选票"), min_value=0, max_value=100000)
    invalid = forms.IntegerField(label=_("无效票"), min_value=0, max_value=100000, initial=0)

    def __init__(self, *args, names: list[str], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.names = names
        for index, name in enumerate(names):
            self.fields[f"votes_{index}"] = forms.IntegerField(
                label=_("%(name)s 得票") % {"name": name}, min_value=0, max_value=100000, initial=0
            )
        for index in range(3):
            self.fields[f"write_in_{index}"] = forms.CharField(
                label=_("另选他人（姓名）"),
                required=False,
                validators=[_clean_name],  # says why in Chinese; the browser stops at the same length
                widget=forms.TextInput(attrs={"maxlength": NAME_MAX_LENGTH}),
            )
            self.fields[f"write_in_votes_{index}"] = forms.IntegerField(
                label=_("得票"), min_value=0, max_value=100000, required=False
            )

    def votes(self) -> dict[str, int]:
        data = self.cleaned_data
        votes = {name: data[f"votes_{i}"] for i, name in enumerate(self.names)}
        for index in range(3):
            name = (data.get(f"write_in_{index}") or "").strip()
            if name and data.get(f"write_in_votes_{index}"):
                votes[name] = votes.get(name, 0) + data[f"write_in_votes_{index}"]
        return votes
