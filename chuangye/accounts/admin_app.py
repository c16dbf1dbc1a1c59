from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    """Django's admin app with the platform's site (roles and second factor; see admin_site)."""

    default_site = "chuangye.accounts.admin_site.PlatformAdminSite"
