from django.urls import URLPattern

app_name = "incubators"

urlpatterns: list[URLPattern] = []
