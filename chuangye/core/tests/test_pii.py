import base64

import pytest
from django.db import connection
from django.test import override_settings

from chuangye.core.pii import (
    blind_index,
    decrypt,
    encrypt,
    mask_bank_account,
    mask_id_number,
    mask_name,
    mask_phone,
)
from chuangye.registry.models import Person

NEW_KEY = "k2:" + base64.b64encode(b"n" * 32).decode()


def make_person(number="11010519491231002X", phone="13812345678"):
    person = Person(name="李晓雨", sex="F", birth_date="1949-12-31", hukou_region_code="110105", region_code="510104")
    person.set_id_number(number)
    person.set_phone(phone)
    person.save()
    return person


@pytest.mark.django_db
def test_the_raw_database_holds_no_plaintext_but_lookup_by_id_works():
    person = make_person()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM registry_person WHERE id = %s", [person.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert "11010519491231002X" not in raw_id and "13812345678" not in raw_phone
    assert raw_id.startswith("v1$dev1$")
    found = Person.objects.get(id_number_index=blind_index("11010519491231002X", "person.id_number"))
    assert found.pk == person.pk
    assert found.id_number == "11010519491231002X"
    assert found.phone == "13812345678"


@pytest.mark.django_db
def test_keys_rotate_old_values_still_decrypt():
    person = make_person()
    with override_settings(PII_KEYS=f"{NEW_KEY},dev1:ZGV2LW9ubHktcGlpLWtleS1ub3QtZm9yLXByb2R1Y3Q="):
        assert Person.objects.get(pk=person.pk).id_number == "11010519491231002X"
        assert encrypt("x", "t").startswith("v1$k2$")


def test_tampered_or_moved_ciphertext_does_not_decrypt():
    token = encrypt("13812345678", "person.phone")
    assert decrypt(token, "person.phone") == "13812345678"
    with pytest.raises(ValueError, match="tampered"):
        decrypt(token, "person.id_number")  # copied into another column
    version, kid, payload = token.split("$")
    flipped = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises(ValueError):
        decrypt(f"{version}${kid}${flipped}", "person.phone")


def test_each_encryption_is_different_but_the_index_is_stable():
    assert encrypt("same", "p") != encrypt("same", "p")
    assert blind_index("same", "p") == blind_index("same", "p")
    assert blind_index("same", "p") != blind_index("same", "q")


def test_masks():
    assert mask_id_number("510104199001011234") == "5101**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_bank_account("6222 0212 3456 7890 123") == "6222***********0123"
    assert mask_name("张三丰") == "张**"
    assert mask_phone("123") == "***"
