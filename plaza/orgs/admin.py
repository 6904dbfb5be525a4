from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Membership, Organisation, Position


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin):
    form = movenodeform_factory(Organisation, exclude=("tree",))
    list_display = ("name", "code", "level", "is_active")
    list_filter = ("tree", "level", "is_active")
    search_fields = ("name", "code")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("person", "organisation", "tree", "since", "until")
    list_filter = ("tree",)
    search_fields = ("person__name", "person__employee_no", "organisation__name")
    autocomplete_fields = ("person",)
    raw_id_fields = ("organisation",)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("organisation", "title", "person", "since", "until")
    list_filter = ("title",)
    search_fields = ("person__name", "organisation__name")
    autocomplete_fields = ("person",)
    raw_id_fields = ("organisation",)
