from django.urls import include, path

from chuangye.portal import benefits, profile, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("me/profile/", profile.profile_edit, name="profile_edit"),
    path("me/policies/", benefits.my_benefits, name="benefits"),
    path("me/key-groups/declare/", profile.key_group_declare_view, name="key_group_declare"),
    path("me/changes/new/", profile.change_request_new, name="change_request_new"),
    path("", include("chuangye.portal.urls_io")),
]
