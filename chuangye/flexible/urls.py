from django.urls import URLPattern

app_name = "flexible"

urlpatterns: list[URLPattern] = []
