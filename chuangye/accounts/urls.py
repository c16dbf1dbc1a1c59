from django.urls import path

from chuangye.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/", views.password_change, name="password_change"),
]
