from django import forms
from django.utils.translation import gettext_lazy as _

#: Kinds of message a person may mute on email and WeCom (the inbox always keeps them).
KINDS = [
    ("reminder", _("工作提醒")),
    ("general", _("一般通知")),
]


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("同时发送电子邮件"), required=False)
    wecom = forms.BooleanField(label=_("同时发送企业微信消息"), required=False)
    muted_kinds = forms.MultipleChoiceField(
        label=_("这些类别只在站内提醒"), choices=KINDS, required=False, widget=forms.CheckboxSelectMultiple
    )
