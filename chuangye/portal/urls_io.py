"""Portal routes for a citizen's own data (download everything held about them)."""

from django.urls import path

from chuangye.portal import mydata

urlpatterns = [
    path("me/data.json", mydata.my_data_json, name="my_data"),
]
