"""Data: the national key groups (the ten loan groups and 新市民) and a typical provincial list of 就业困难人员
categories for the demo province, Sichuan (51). Provinces edit their own list; these are the common categories
from DOMAIN.md §2, not an official Sichuan list."""

from django.db import migrations

NATIONAL = [
    ("registered_unemployed", "城镇登记失业人员", "失业登记证明"),
    ("employment_difficulty", "就业困难人员", "就业困难人员认定材料"),
    ("veteran", "退役军人", "退役证"),
    ("released_prisoner", "刑满释放人员", "释放证明书"),
    ("graduate", "高校毕业生", "毕业证书或学信网学历证明"),
    ("overcapacity_worker", "化解过剩产能企业职工和失业人员", "企业出具的证明"),
    ("returning_migrant", "返乡创业农民工", "外出务工经历证明"),
    ("online_merchant", "网络商户", "网店经营证明"),
    ("poverty_alleviated", "脱贫人口", "脱贫人口信息系统查询结果"),
    ("rural_self_employed", "农村自主创业农民", "村（社区）出具的证明"),
    ("new_citizen", "新市民", "居住证"),
]
DIFFICULTY_51 = [
    ("51_4050", "“4050”人员（女满40周岁、男满50周岁）"),
    ("51_disabled", "残疾人"),
    ("51_dibao", "城乡低保家庭成员"),
    ("51_zero_employment", "零就业家庭成员"),
    ("51_long_unemployed", "连续失业一年以上人员"),
    ("51_landless", "失地农民"),
    ("51_poverty_labour", "脱贫劳动力和防止返贫监测对象家庭劳动力"),
    ("51_single_parent", "单亲家庭成员"),
    ("51_graduate_6m", "毕业半年以上未就业的高校毕业生"),
]


def load(apps, schema_editor):
    Category = apps.get_model("registry", "KeyGroupCategory")
    for code, name, hint in NATIONAL:
        Category.objects.update_or_create(code=code, defaults={"name": name, "fact": code, "evidence_hint": hint})
    for code, name in DIFFICULTY_51:
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "fact": "employment_difficulty",
                "province_code": "51",
                "default_valid_months": 12,
                "evidence_hint": "街道（乡镇）公共就业服务机构认定材料",
            },
        )


def unload(apps, schema_editor):
    apps.get_model("registry", "KeyGroupCategory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_business_changerequest_founder_keygroupcategory_and_more")]
    operations = [migrations.RunPython(load, unload)]
