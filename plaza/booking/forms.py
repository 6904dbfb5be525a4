from django import forms
from django.utils.translation import gettext_lazy as _

from plaza.lib.fields import DateField
from plaza.lib.widgets import DateInput
from plaza.orgs.forms import OrganisationChoiceField

from .models import Audience, Weekday

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ServiceForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("承办组织"), queryset=None)
    name = forms.CharField(label=_("办理事项"), max_length=80)
    place = forms.CharField(label=_("办理地点"), max_length=120)
    slot_minutes = forms.IntegerField(label=_("每个时段（分钟）"), min_value=5, max_value=240, initial=30)
    documents = forms.CharField(
        label=_("需携带的材料（每行一项）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    audience = forms.ChoiceField(label=_("可预约人员"), choices=Audience.choices, initial=Audience.EVERYONE)
    book_ahead_days = forms.IntegerField(label=_("可提前预约天数"), min_value=1, max_value=90, initial=14)
    cancel_hours = forms.IntegerField(label=_("取消截止（开始前几小时）"), min_value=0, max_value=168, initial=2)
    active = forms.BooleanField(label=_("开放预约"), required=False, initial=True)

    def __init__(self, *args, organisations=None, editing: bool = False, **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations


class HoursForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("星期"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
    )
    opens = forms.TimeField(label=_("开始"), widget=TIME)
    closes = forms.TimeField(label=_("结束"), widget=TIME)
    counters = forms.IntegerField(label=_("窗口数（每时段名额）"), min_value=1, max_value=50, initial=1)


class ClosedDayForm(forms.Form):
    day = DateField(label=_("日期"), widget=DateInput())
    reason = forms.CharField(label=_("原因"), max_length=120)


class RangeForm(forms.Form):
    first = DateField(label=_("起始日期"), widget=DateInput())
    last = DateField(label=_("截止日期"), widget=DateInput())

    def clean(self):  # noqa: ANN201
        data = super().clean()
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            raise forms.ValidationError(_("截止日期应不早于起始日期。"))
        return data


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("评分"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)])
    comment = forms.CharField(
        label=_("评价（可不填）"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
