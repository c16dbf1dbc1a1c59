from django.urls import path

from chuangye.registration import views

app_name = "registration"
urlpatterns = [
    path("me/registration/new/", views.establish_new, name="new"),
    path("me/businesses/<int:business_id>/change/", views.business_change, name="change"),
    path("me/cases/<int:case_id>/licence.pdf", views.licence_pdf, name="licence"),
    path("verify/licence/", views.verify, name="verify_form"),
    path("verify/licence/<str:code>/", views.verify, name="verify"),
]
