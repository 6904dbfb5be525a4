from django.contrib import admin

from .models import Balance, Entry, Item, Order


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only; corrections are adjustments made on the staff page."""

    list_display = ["created_at", "person", "kind", "amount", "reason", "source_type"]
    list_filter = ["kind", "source_type"]
    search_fields = ["person__employee_no", "person__name", "reason"]
    raw_id_fields = ["person", "created_by"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Balance)
class BalanceAdmin(EntryAdmin):
    list_display = ["person", "amount", "updated_at"]
    list_filter = []
    search_fields = ["person__employee_no", "person__name"]
    raw_id_fields = ["person"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["name", "price", "stock", "per_person_limit", "active"]
    list_filter = ["active"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["placed_at", "person", "item", "quantity", "points", "state", "pickup_code"]
    list_filter = ["state"]
    search_fields = ["pickup_code", "person__employee_no", "person__name"]
    readonly_fields = [
        "item",
        "person",
        "quantity",
        "points",
        "state",
        "pickup_code",
        "placed_at",
        "handed_over_at",
        "handed_over_by",
        "cancelled_at",
        "cancelled_by",
    ]
