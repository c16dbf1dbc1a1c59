"""Plan 6 pages, mounted at the site root."""

from django.urls import path

from chuangye.finance import views

app_name = "finance"
urlpatterns = [
    path("me/finance/products/", views.my_products, name="my_products"),
    path("workbench/finance/lpr/", views.lpr_page, name="lpr"),
    path("workbench/finance/products/", views.products_page, name="products"),
    path("workbench/finance/cost/", views.cost_page, name="cost"),
]
