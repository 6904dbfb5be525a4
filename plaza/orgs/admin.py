from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Membership, Organisation, Position


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin):
    """Moving a node moves every right held above it: only an administrator may change the tree here (a staff
    account given the model permissions must not hang a 党委 under the branch it runs)."""

    form = movenodeform_factory(Organisation, exclude=("tree",))
    list_display = ("name", "code", "level", "is_active")
    list_filter = ("tree", "level", "is_active")
    search_fields = ("name", "code")

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return request.user.is_superuser


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: memberships and positions carry rights, so they change only through the office
    pages and services, which check who may grant what (``orgs.permissions.require_may_grant``: nobody appoints
    themselves or above their scope) and audit it. The admin would bypass both."""

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("person", "organisation", "tree", "since", "until")
    list_filter = ("tree",)
    search_fields = ("person__name", "person__employee_no", "organisation__name")
    autocomplete_fields = ("person",)
    raw_id_fields = ("organisation",)


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "title", "person", "since", "until")
    list_filter = ("title",)
    search_fields = ("person__name", "organisation__name")
    autocomplete_fields = ("person",)
    raw_id_fields = ("organisation",)
