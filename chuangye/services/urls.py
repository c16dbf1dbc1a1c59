from django.urls import path

from chuangye.services import views

app_name = "services"
urlpatterns = [
    path("", views.home, name="home"),
    path("catalogue/", views.catalogue_page, name="catalogue"),
    path("catalogue.pdf", views.catalogue_pdf, name="catalogue_pdf"),
    path("info/", views.info, name="info"),
    path("info/<int:services_article_id>/", views.article_page, name="article"),
    path("faq/", views.faq, name="faq"),
    path("editor/", views.editor, name="editor"),
    path("editor/<int:services_draft_id>/", views.draft, name="draft"),
    path("ask/", views.ask, name="ask"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:services_question_id>/", views.question, name="question"),
    path("mentors/match/", views.mentor_match, name="mentor_match"),
    path("mentors/", views.mentor_registry, name="mentors"),
    path("mentor/profile/", views.mentor_profile, name="mentor_profile"),
    path("mentoring/", views.mentoring, name="mentoring"),
    path("mentoring/<int:services_assignment_id>/", views.assignment_page, name="assignment"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/new/", views.opening_new, name="opening_new"),
    path("jobs/profile/", views.seeker_profile, name="seeker_profile"),
    path("jobs/<int:services_opening_id>/", views.opening_page, name="opening"),
    path("fairs/", views.fairs, name="fairs"),
    path("fairs/<int:services_fair_id>/", views.fair_page, name="fair"),
]
