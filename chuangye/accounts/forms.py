from django import forms

from chuangye.core.errors import FieldValueError


class ChineseForm(forms.Form):
    """A form whose required-field message is Chinese, and which takes errors raised by actions."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            field.error_messages["required"] = f"请填写「{field.label}」"
            field.error_messages["max_length"] = f"「{field.label}」过长"

    def add_domain_error(self, error: FieldValueError) -> None:
        target = error.field_name if error.field_name in self.fields else None
        self.add_error(target, error.message)


class LoginForm(ChineseForm):
    username = forms.CharField(label="账号", max_length=150)
    password = forms.CharField(label="密码", max_length=128, widget=forms.PasswordInput)


class OtpForm(ChineseForm):
    token = forms.RegexField(
        label="动态验证码", regex=r"^\d{6}$", error_messages={"invalid": "「动态验证码」应为6位数字"}
    )


class SignupForm(ChineseForm):
    name = forms.CharField(label="姓名", max_length=30)
    id_number = forms.CharField(label="身份证号", max_length=18)
    phone = forms.CharField(label="手机号", max_length=11)


class CodePasswordForm(ChineseForm):
    code = forms.RegexField(
        label="短信验证码", regex=r"^\d{6}$", error_messages={"invalid": "「短信验证码」应为6位数字"}
    )
    password = forms.CharField(label="密码", max_length=128, widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认密码", max_length=128, widget=forms.PasswordInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class PhoneForm(ChineseForm):
    phone = forms.CharField(label="手机号", max_length=11)


class PasswordChangeForm(ChineseForm):
    old_password = forms.CharField(label="原密码", max_length=128, widget=forms.PasswordInput)
    new_password = forms.CharField(label="新密码", max_length=128, widget=forms.PasswordInput)
    new_password2 = forms.CharField(label="确认新密码", max_length=128, widget=forms.PasswordInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的密码不一致")
        return data
