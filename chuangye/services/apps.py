from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "chuangye.services"
    label = "services"
    verbose_name = "创业服务"

    def ready(self) -> None:
        from chuangye.services import jobs

        jobs.register_kind()
        from chuangye.accounts.models import Role
        from chuangye.core.files import register_owner
        from chuangye.core.nav import register_nav
        from chuangye.services.access import questions_for

        # Question attachments are visible exactly when the question is.
        register_owner("services_question", questions_for)
        register_nav("portal", "创业服务", "services:home", order=40)
        register_nav("portal", "创业咨询", "services:questions", roles={Role.CITIZEN}, order=41)
        register_nav("portal", "创业导师", "services:mentoring", roles={Role.CITIZEN}, order=42)
        register_nav("portal", "招聘对接", "services:jobs", roles={Role.CITIZEN}, order=43)
        staff = {Role.OFFICER, Role.SUPERVISOR}
        register_nav("workbench", "咨询答复", "services:questions", roles=staff, order=40)
        register_nav("workbench", "导师名录", "services:mentors", roles=staff, order=41)
        register_nav("workbench", "导师服务", "services:mentoring", roles={*staff, Role.MENTOR}, order=42)
        register_nav("workbench", "信息发布", "services:editor", roles=staff, order=43)
        register_nav("workbench", "对接洽谈会", "services:fairs", roles=staff, order=44)
        register_nav("workbench", "导师信息", "services:mentor_profile", roles={Role.MENTOR}, order=45)
        register_nav(
            "workbench", "咨询答复", "services:questions", roles={Role.PARTNER}, partner_kinds={"legal_aid"}, order=40
        )
