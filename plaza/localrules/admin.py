from django.contrib import admin
from django.http import HttpRequest

from .models import LocalRule


@admin.register(LocalRule)
class LocalRuleAdmin(admin.ModelAdmin):
    """Read-only: a value is set on the 本单位规定 page, where it is checked against its range, needs a note
    and is audited; the admin would skip all three."""

    list_display = ["organisation", "key", "value", "note", "changed_by", "changed_at"]
    list_filter = ["key"]
    search_fields = ["organisation__name", "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LocalRule | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: LocalRule | None = None) -> bool:
        return False
