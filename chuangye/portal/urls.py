from django.urls import include, path

from chuangye.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("", include("chuangye.portal.urls_io")),
]
