from types import SimpleNamespace

from chuangye.core import nav


def test_entries_filter_by_area_role_and_partner_kind(monkeypatch):
    monkeypatch.setattr(nav, "_ENTRIES", [])
    nav.register_nav("portal", "培训", "x:a", roles={"citizen"}, order=2)
    nav.register_nav("portal", "公开", "x:b", order=1)
    nav.register_nav("workbench", "开班", "x:c", roles={"partner"}, partner_kinds={"training"})
    nav.register_nav("portal", "公开", "x:b", order=1)  # registering twice adds nothing
    citizen = SimpleNamespace(is_authenticated=True, role="citizen", organisation=None)
    visitor = SimpleNamespace(is_authenticated=False)
    bank = SimpleNamespace(is_authenticated=True, role="partner", organisation=SimpleNamespace(kind="bank"))
    school = SimpleNamespace(is_authenticated=True, role="partner", organisation=SimpleNamespace(kind="training"))
    assert [e.label for e in nav.entries_for("portal", citizen)] == ["公开", "培训"]
    assert [e.label for e in nav.entries_for("portal", visitor)] == ["公开"]
    assert nav.entries_for("workbench", bank) == []
    assert [e.label for e in nav.entries_for("workbench", school)] == ["开班"]
