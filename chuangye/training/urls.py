from django.urls import path

from chuangye.training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("institutions/", views.institutions, name="institutions"),
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("notices/", views.notices, name="notices"),
    path("trainers/<int:training_trainer_id>/", views.trainer_profile, name="trainer"),
    path("competitions/<int:training_competition_id>/results/", views.competition_results, name="results"),
    # Citizens
    path("classes/<int:training_class_id>/", views.class_detail, name="class"),
    path("me/", views.me, name="me"),
    path("certificates/<int:training_certificate_id>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("scan/", views.scan, name="scan"),
    # Training institutions
    path("org/", views.org_home, name="org_home"),
    path("org/classes/new/", views.class_new, name="class_new"),
    path("org/classes/<int:training_class_id>/", views.org_class, name="org_class"),
    path("org/sessions/<int:training_session_id>/", views.org_session, name="org_session"),
    # Bureau
    path("workbench/", views.wb_home, name="wb_home"),
    path("workbench/classes/<int:training_class_id>/", views.wb_class, name="wb_class"),
    path("workbench/claims/<int:training_claim_id>/", views.wb_claim, name="wb_claim"),
    path("workbench/catalogue/", views.wb_catalogue, name="wb_catalogue"),
    path("workbench/followup/", views.wb_followup, name="wb_followup"),
    path("workbench/competitions/", views.wb_competitions, name="wb_competitions"),
    path("workbench/competitions/<int:training_competition_id>/", views.wb_competition, name="wb_competition"),
]
