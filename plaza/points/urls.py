from django.urls import path

from . import views

app_name = "points"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("rankings/", views.rankings, name="rankings"),
    path("mall/", views.mall, name="mall"),
    path("mall/<int:item_id>/", views.item, name="item"),
    path("mall/<int:item_id>/redeem/", views.redeem, name="redeem"),
    path("orders/", views.my_orders, name="orders"),
    path("orders/<int:order_id>/", views.order, name="order"),
    path("orders/<int:order_id>/cancel/", views.cancel, name="cancel"),
    path("office/", views.office, name="office"),
    path("office/award/", views.award, name="award"),
    path("office/items/", views.items, name="items"),
    path("office/items/new/", views.item_form, name="item_new"),
    path("office/items/<int:item_id>/", views.item_form, name="item_edit"),
    path("office/items/<int:item_id>/stock/", views.stock, name="stock"),
    path("office/prepare/", views.prepare, name="prepare"),
    path("office/hand-over/", views.hand_over, name="hand_over"),
    path("office/report/", views.report, name="report"),
    path("office/expire/", views.expire, name="expire"),
]
