"""Portal routes for a citizen's own data (download everything held about them)."""

urlpatterns: list = []
