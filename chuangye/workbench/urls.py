from django.urls import include, path

from chuangye.workbench import people, tokens, views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/", people.person_list, name="person_list"),
    path("people/<int:person_id>/", people.person_detail, name="person_detail"),
    path("people/<int:person_id>/reveal/", people.person_reveal, name="person_reveal"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("", include("chuangye.workbench.urls_io")),
]
