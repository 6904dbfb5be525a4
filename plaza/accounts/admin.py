from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Person, StatusChange


@admin.register(Person)
class PersonAdmin(UserAdmin):
    """Accounts for administrators. ID-card and phone numbers are shown masked only: officers who need them
    in full use the audited 「查看完整信息」 on the person page."""

    list_display = ("employee_no", "name", "department", "political_status", "is_active", "is_staff")
    list_filter = ("political_status", "is_active", "is_staff", "is_superuser")
    search_fields = ("employee_no", "name", "department")
    ordering = ("employee_no",)
    readonly_fields = ("masked_phone", "masked_id_card", "last_login", "date_joined", "political_status")
    fieldsets = (
        (None, {"fields": ("employee_no", "password")}),
        (
            _("基本信息"),
            {
                "fields": (
                    "name",
                    "gender",
                    "birth_date",
                    "ethnicity",
                    "education",
                    "department",
                    "job_title",
                    "email",
                    "wecom_userid",
                    "masked_phone",
                    "masked_id_card",
                    "political_status",
                )
            },
        ),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("employee_no", "name", "password1", "password2")}),)

    def get_readonly_fields(self, request, obj=None):  # noqa: ANN001, ANN201
        """Only an administrator grants administrator rights, and never to themselves here: a staff account
        allowed to edit people must not make itself superuser, nor take away its own flags by mistake."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser or (obj is not None and obj.pk == request.user.pk):
            fields += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return fields


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("person", "from_status", "to_status", "effective_on", "recorded_by", "recorded_at")
    list_filter = ("to_status",)
    search_fields = ("person__name", "person__employee_no")

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False  # a change of 政治面貌 is recorded by its procedure or by a correction, both audited

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("person", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("person", "name", "prefix", "digest", "created_at", "last_used_at")
