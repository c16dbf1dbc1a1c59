"""Incubator pages, mounted at /incubators/: the public directory and board, founders' pages, and the workbench
pages of the bureau and the carriers' operators under manage/."""

from django.urls import path

from chuangye.incubators import views, workbench

app_name = "incubators"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("carriers/<int:carrier_id>/", views.carrier_page, name="carrier"),
    path("carriers/<int:carrier_id>/apply/", views.apply, name="apply"),
    path("me/", views.mine, name="mine"),
    path("me/contracts/<int:contract_id>/", views.my_contract, name="my_contract"),
    path("equipment/<int:equipment_id>/", views.equipment_page, name="equipment"),
    path("bookings/<int:booking_id>/", views.booking_page, name="booking"),
    path("board/", views.board, name="board"),
    path("board/new/", views.board_new, name="board_new"),
    path("manage/", workbench.home, name="manage"),
    path("manage/carriers/new/", workbench.carrier_new, name="carrier_new"),
    path("manage/carriers/<int:carrier_id>/", workbench.carrier_manage, name="manage_carrier"),
    path("manage/applications/<int:space_application_id>/", workbench.application_page, name="application"),
    path("manage/contracts/<int:contract_id>/", workbench.contract_page, name="contract"),
]
