from django.urls import include, path

from chuangye.cases import views as case_views
from chuangye.workbench import certification, parameters, people, tokens, views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_new, name="person_new"),
    path("people/<int:person_id>/", people.person_detail, name="person_detail"),
    path("people/<int:person_id>/reveal/", people.person_reveal, name="person_reveal"),
    path("key-groups/", certification.key_group_queue, name="key_group_queue"),
    path("key-groups/<int:status_id>/", certification.key_group_detail, name="key_group_detail"),
    path("changes/", certification.change_queue, name="change_queue"),
    path("changes/<int:change_id>/", certification.change_detail, name="change_detail"),
    path("attachments/<int:attachment_id>/", people.attachment_download, name="attachment"),
    path("cases/", case_views.queue, name="cases"),
    path("cases/<int:case_id>/", case_views.case_page, name="case"),
    path("supervision/", case_views.supervision, name="supervision"),
    path("parameters/", parameters.parameters, name="parameters"),
    path("parameters/what-if/", parameters.whatif, name="whatif"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("", include("chuangye.workbench.urls_io")),
]
