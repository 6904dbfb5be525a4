from django.contrib import admin

from .models import LocalRule


@admin.register(LocalRule)
class LocalRuleAdmin(admin.ModelAdmin):
    list_display = ["organisation", "key", "value", "note", "changed_by", "changed_at"]
    list_filter = ["key"]
    search_fields = ["organisation__name", "note"]
    readonly_fields = ["changed_by", "changed_at"]
