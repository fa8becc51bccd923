from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import access, actions, forms, queries, throttle
from .models import TOTP_ISSUER, provisioning_uri

EXPIRED_MESSAGE = "หมดเวลากรอกรหัสยืนยันตัวตน กรุณาเข้าสู่ระบบใหม่อีกครั้ง"
SETUP_SECRET_KEY = "accounts_2fa_setup_secret"


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _safe_next(request, url: str) -> str:
    """`url` if it leads back into this site, else ""."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return ""


def _locked_message() -> str:
    return f"เข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอ {throttle.lock_minutes()} นาทีแล้วลองใหม่ หรือติดต่อผู้ดูแลระบบ"


def _add_error(form, error: actions.TwoFactorError) -> None:
    """Put a refusal next to the field it is about (over the whole form when locked)."""
    if error.code == "locked":
        field = None
    elif error.code == "wrong_password":
        field = "password"
    else:
        field = next((f for f in ("code", "recovery_code") if f in form.fields), None)
    form.add_error(field, error.message)


def login_view(request):
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        username = request.POST.get("username", "")
        ip = _client_ip(request)
        if throttle.is_locked(username=username, ip_address=ip):
            form.add_error(None, _locked_message())
        elif form.is_valid():
            throttle.clear_failures(username=username)
            user = form.get_user()
            next_url = _safe_next(request, request.GET.get("next", ""))
            if queries.has_two_factor(user):  # not logged in until the code is right
                access.start_pending_login(request, user=user, next_url=next_url)
                return redirect("accounts:login_code")
            login(request, user)
            return redirect(next_url or "home")
        else:
            throttle.record_failure(username=username, ip_address=ip)
    return render(request, "accounts/login.html", {"form": form})


@never_cache
def login_code(request):
    """Second step of signing in: a code from the authenticator app, or a recovery code."""
    had_pending = access.PENDING_KEY in request.session
    pending = access.pending_login(request)
    if pending is None:
        if had_pending:
            messages.warning(request, EXPIRED_MESSAGE)
        return redirect("accounts:login")
    user, data = pending
    code_form = forms.CodeForm(request.POST if "code" in request.POST else None)
    recovery_form = forms.RecoveryCodeForm(
        request.POST if "recovery_code" in request.POST else None
    )
    form = recovery_form if recovery_form.is_bound else code_form
    if request.method == "POST" and form.is_valid():
        try:
            if form is code_form:
                actions.verify_totp_code(
                    user=user, code=form.cleaned_data["code"], ip_address=_client_ip(request)
                )
            else:
                left = actions.use_recovery_code(
                    user=user, code=form.cleaned_data["recovery_code"],
                    ip_address=_client_ip(request),
                )  # fmt: skip
        except actions.TwoFactorError as error:
            _add_error(form, error)
        else:
            access.clear_pending_login(request)
            login(request, user, backend=data.get("backend") or None)
            if form is recovery_form:
                messages.warning(request, _recovery_used_message(left))
            return redirect(data.get("next") or "home")
    code_form.fields["code"].widget.attrs["autofocus"] = True
    context = {
        "code_form": code_form,
        "recovery_form": recovery_form,
        "pending_user": user,
        "minutes": access.PENDING_SECONDS // 60,
    }
    return render(request, "accounts/login_code.html", context)


def _recovery_used_message(left: int) -> str:
    text = f"เข้าสู่ระบบด้วยรหัสสำรองแล้ว เหลือรหัสสำรองอีก {left} รหัส"
    if left <= 3:
        text += " ควรสร้างรหัสสำรองชุดใหม่ที่หน้า “การยืนยันตัวตนสองขั้นตอน”"
    return text


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, "ออกจากระบบแล้ว")
    return redirect("accounts:login")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, "เปลี่ยนรหัสผ่านเรียบร้อยแล้ว")
        return redirect("home")
    context = {
        "form": form,
        "two_factor_allowed": access.may_use_two_factor(request.user),
        "two_factor_on": queries.has_two_factor(request.user),
    }
    return render(request, "accounts/password_change.html", context)


# ---------------------------------------------------------------- two-factor set-up


@login_required
@never_cache
def two_factor(request):
    """Set-up (QR code, secret, confirm with a code) while off; status and management while on."""
    access.require_two_factor_allowed(request.user)
    if queries.has_two_factor(request.user):
        if request.method == "POST":
            return redirect("accounts:two_factor")
        return _manage_page(request)
    # The secret waits in the session until a code proves the app holds it.
    secret = request.session.get(SETUP_SECRET_KEY) or actions.new_totp_secret()
    request.session[SETUP_SECRET_KEY] = secret
    next_url = _safe_next(request, request.GET.get("next", ""))
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.enable_two_factor(
                acting_user=request.user, secret=secret, code=form.cleaned_data["code"],
                ip_address=_client_ip(request),
            )  # fmt: skip
        except actions.TwoFactorError as error:
            _add_error(form, error)
        else:
            request.session.pop(SETUP_SECRET_KEY, None)
            messages.success(request, "เปิดใช้การยืนยันตัวตนสองขั้นตอนแล้ว")
            return _recovery_codes_page(request, codes, next_url=next_url)
    uri = provisioning_uri(secret, username=request.user.username)
    context = {
        "form": form,
        "qr_svg": segno.make(uri, error="m").svg_inline(
            scale=5, dark="#000", light="#fff", title="คิวอาร์โค้ดสำหรับแอปยืนยันตัวตน"
        ),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "issuer": TOTP_ISSUER,
        "forced": queries.role_requires_two_factor(request.user),
        "next": next_url,
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _manage_page(request, *, regenerate_form=None, disable_form=None):
    context = {
        "device": queries.totp_device_for(request.user),
        "codes_left": queries.recovery_codes_left(request.user),
        "forced": queries.role_requires_two_factor(request.user),
        "regenerate_form": regenerate_form or forms.CodeForm(prefix="regenerate"),
        "disable_form": disable_form or forms.DisableForm(prefix="disable"),
    }
    return render(request, "accounts/two_factor_manage.html", context)


def _recovery_codes_page(request, codes: list[str], *, next_url: str = ""):
    text = "\n".join(
        [f"รหัสสำรอง {TOTP_ISSUER} ของ {request.user.username} (แต่ละรหัสใช้ได้ครั้งเดียว)", "",
         *codes, ""]
    )  # fmt: skip
    context = {
        "codes": codes,
        "download_href": "data:text/plain;charset=utf-8," + quote(text),
        "download_name": f"krupd-recovery-codes-{request.user.username}.txt",
        "next": next_url,
    }
    return render(request, "accounts/two_factor_codes.html", context)


@login_required
@never_cache
@require_POST
def two_factor_disable(request):
    access.require_two_factor_allowed(request.user)
    if not queries.has_two_factor(request.user):
        return redirect("accounts:two_factor")
    form = forms.DisableForm(request.POST, prefix="disable")
    if form.is_valid():
        try:
            actions.disable_two_factor(
                acting_user=request.user, password=form.cleaned_data["password"],
                code=form.cleaned_data["code"], ip_address=_client_ip(request),
            )  # fmt: skip
        except actions.TwoFactorError as error:
            _add_error(form, error)
        else:
            messages.success(request, "ปิดการยืนยันตัวตนสองขั้นตอนแล้ว")
            return redirect("accounts:two_factor")
    return _manage_page(request, disable_form=form)


@login_required
@never_cache
@require_POST
def two_factor_recovery_codes(request):
    access.require_two_factor_allowed(request.user)
    if not queries.has_two_factor(request.user):
        return redirect("accounts:two_factor")
    form = forms.CodeForm(request.POST, prefix="regenerate")
    if form.is_valid():
        try:
            codes = actions.regenerate_recovery_codes(
                acting_user=request.user, code=form.cleaned_data["code"],
                ip_address=_client_ip(request),
            )  # fmt: skip
        except actions.TwoFactorError as error:
            _add_error(form, error)
        else:
            messages.success(request, "สร้างรหัสสำรองชุดใหม่แล้ว รหัสชุดเดิมใช้ไม่ได้อีกต่อไป")
            return _recovery_codes_page(request, codes)
    return _manage_page(request, regenerate_form=form)
