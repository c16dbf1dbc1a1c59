"""A form carries at most ten files; more are refused with the field named, never silently cut to ten."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangye.core.errors import FieldValueError
from chuangye.core.files import MAX_FILES_PER_FORM, check_file_count


def test_a_form_with_more_files_than_allowed_is_refused_naming_the_field():
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4 x") for i in range(MAX_FILES_PER_FORM + 1)]
    assert len(check_file_count(files[:MAX_FILES_PER_FORM], field="materials", label="申请材料")) == 10
    with pytest.raises(FieldValueError) as refused:
        check_file_count(files, field="materials", label="申请材料")
    assert refused.value.field_name == "materials"
    assert refused.value.message == "「申请材料」一次最多上传 10 个文件，本次选择了 11 个"
