from django.urls import path

from chuangye.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("read/", views.mark_read, name="read"),
]
