from django.urls import path

from chuangye.cultivation import views

app_name = "cultivation"

urlpatterns = [
    path("", views.home, name="home"),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/<int:assessment_id>/", views.assessment_page, name="assessment"),
    path("simulations/", views.simulation_list, name="simulations"),
    path("simulations/new/", views.simulation_new, name="simulation_new"),
    path("simulations/compare/", views.simulation_compare, name="simulation_compare"),
    path("simulations/<int:simulation_id>/", views.simulation_page, name="simulation"),
    path("projects/", views.projects, name="projects"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("programmes/<int:programme_id>/", views.programme_page, name="programme"),
    path("programmes/<int:programme_id>/roster/", views.roster, name="roster"),
    path("competitions/", views.competition_list, name="competitions"),
    path("competitions/new/", views.competition_new, name="competition_new"),
    path("competitions/<int:competition_id>/", views.competition_page, name="competition"),
    path("judging/<int:submission_id>/", views.score_sheet, name="score_sheet"),
]
