from django.urls import path

from chuangye.cases import views

app_name = "cases_me"
urlpatterns = [
    path("", views.my_cases, name="list"),
    path("<int:case_id>/", views.my_case, name="detail"),
]
