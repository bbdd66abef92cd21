from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation

from .models import Bureau, Role, Unit, User


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput, max_length=200)


class UserCreateForm(forms.Form):
    username = forms.RegexField(label="用户名", regex=r"^[A-Za-z0-9_.@+-]{3,150}$", max_length=150,
                                error_messages={"invalid": "用户名只能包含字母、数字和 _ . @ + -，至少3个字符"})
    full_name = forms.CharField(label="姓名", max_length=100)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    unit = forms.ModelChoiceField(label="预算单位", queryset=Unit.objects.all(), required=False)
    bureau = forms.ModelChoiceField(label="财政局", queryset=Bureau.objects.all(), required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput)

    def clean_username(self):
        name = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("该用户名已存在")
        return name

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in (Role.CLERK, Role.UNIT_HEAD) and not data.get("unit"):
            self.add_error("unit", "填表人和单位负责人须选择所属预算单位")
        if role == Role.REVIEWER and not data.get("bureau"):
            self.add_error("bureau", "财政局审核人须选择所属财政局")
        if data.get("password"):
            probe = User(username=data.get("username", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(data["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data
