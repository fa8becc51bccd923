from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from krupd.lib.query_params import local_path
from registry.picker import picker_response

from . import access, actions, documents, forms, queries, throttle
from .middleware import stamp as stamp_activity
from .models import TOTP_ISSUER, User, provisioning_uri
from .roles import OFFICE_ROLES

EXPIRED_MESSAGE = "หมดเวลากรอกรหัสยืนยันตัวตน กรุณาเข้าสู่ระบบใหม่อีกครั้ง"
SETUP_SECRET_KEY = "accounts_2fa_setup_secret"
# The set-up link a forced role's user opened, waiting for their password on the login page.
SETUP_LINK_KEY = "accounts_2fa_setup_link"
NEEDS_SETUP_LINK_MESSAGE = (
    "บทบาทของคุณต้องใช้การยืนยันตัวตนสองขั้นตอน และบัญชีนี้ยังไม่ได้ตั้งค่า "
    "จึงเข้าสู่ระบบด้วยรหัสผ่านอย่างเดียวไม่ได้ กรุณาขอลิงก์ตั้งค่าจากผู้ดูแลระบบของเขตพื้นที่ "
    "แล้วเปิดลิงก์นั้นก่อนเข้าสู่ระบบ"
)
SETUP_LINK_OPENED_MESSAGE = (
    "ลิงก์ตั้งค่าการยืนยันตัวตนสองขั้นตอนถูกต้อง กรุณาเข้าสู่ระบบด้วยชื่อผู้ใช้และรหัสผ่าน แล้วตั้งค่าแอปยืนยันตัวตนต่อทันที"
)
SETUP_LINK_INVALID_MESSAGE = "ลิงก์ตั้งค่านี้ใช้ไม่ได้ (ใช้ไปแล้ว หมดอายุ หรือมีลิงก์ใหม่แทน) กรุณาขอลิงก์ใหม่จากผู้ดูแลระบบ"


def _client_ip(request) -> str | None:
    return throttle.client_address(request)


def _safe_next(request, url: str) -> str:
    """`url` if it leads back into this site, else ""."""
    return local_path(url, request.get_host())


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


@sensitive_post_parameters("password")
@never_cache
def login_view(request):
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        attempt = throttle.begin(
            username=request.POST.get("username", ""), ip_address=_client_ip(request)
        )
        if attempt.locked:
            form.add_error(None, _locked_message())
        elif form.is_valid() and not _may_sign_in_without_two_factor(request, form.get_user()):
            # The password was right, but it alone is not enough: the attempt stays counted
            # as a failure, so this page cannot be used to test passwords at leisure.
            form.add_error(None, NEEDS_SETUP_LINK_MESSAGE)
        elif form.is_valid():
            attempt.succeeded()
            user = form.get_user()
            next_url = _safe_next(request, request.GET.get("next", ""))
            if queries.has_two_factor(user):  # not logged in until the code is right
                access.start_pending_login(request, user=user, next_url=next_url)
                return redirect("accounts:login_code")
            login(request, user)
            stamp_activity(request)
            return redirect(next_url or "home")
    return render(request, "accounts/login.html", {"form": form})


def _may_sign_in_without_two_factor(request, user) -> bool:
    """A user whose role must use two-factor sign-in and who has not set it up signs in only
    with the one-time link their office admin gave them (opened in this browser), which this
    spends; everyone else, as usual."""
    if not access.must_set_up_two_factor(user):
        return True
    token = request.session.get(SETUP_LINK_KEY, "")
    if not (token and actions.use_two_factor_setup_link(token=token, user=user)):
        return False
    request.session.pop(SETUP_LINK_KEY, None)
    return True


@never_cache
def two_factor_setup_link(request, token: str):
    """Where the office admin's one-time set-up link leads: remember it for the sign-in that
    follows (which spends it), then the login page. Looking does not use it up."""
    if actions.setup_link_is_valid(token):
        if request.user.is_authenticated:
            logout(request)
        request.session[SETUP_LINK_KEY] = token
        messages.info(request, SETUP_LINK_OPENED_MESSAGE)
    else:
        messages.error(request, SETUP_LINK_INVALID_MESSAGE)
    response = redirect("accounts:login")
    response["Referrer-Policy"] = "no-referrer"
    return response


@sensitive_post_parameters("code", "recovery_code")
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
            stamp_activity(request)
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


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@login_required
def password_change(request):
    form = forms.ThaiPasswordChangeForm(request.user, request.POST or None)
    forced = request.user.must_change_password
    # The current password is a secret guessed here like at sign-in: the same count and lock.
    attempt = None
    if request.method == "POST":
        attempt = throttle.begin(username=request.user.username, ip_address=_client_ip(request))
    if attempt is not None and attempt.locked:
        form.add_error(None, _locked_message())
        actions.record_refused_password(user=request.user, locked=True)
    elif attempt is not None and form.is_valid():
        attempt.succeeded()
        user = form.save()
        actions.finish_password_change(user=user)
        update_session_auth_hash(request, user)
        messages.success(request, "เปลี่ยนรหัสผ่านเรียบร้อยแล้ว")
        return redirect(_safe_next(request, request.GET.get("next", "")) or "home")
    elif attempt is not None and "old_password" in form.errors:
        actions.record_refused_password(user=request.user, locked=False)
    elif attempt is not None:
        attempt.withdraw()  # the current password was right; the new one was refused
    context = {
        "form": form,
        "forced": forced,
        "two_factor_allowed": access.may_use_two_factor(request.user),
        "two_factor_on": queries.has_two_factor(request.user),
    }
    return render(request, "accounts/password_change.html", context)


# ---------------------------------------------------------------- two-factor set-up


@sensitive_post_parameters()
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


@sensitive_post_parameters()
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


@sensitive_post_parameters()
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


# ---------------------------------------------------------------- the office's accounts

USERS_PAGE_SIZE = 50


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def users(request):
    access.require_manage_accounts(request.user)
    fields = queries.UserFilter.__dataclass_fields__
    f = queries.UserFilter(**{name: request.GET.get(name, "") for name in fields})
    rows = queries.user_list(request.user, f)
    context = {
        "page": Paginator(rows, USERS_PAGE_SIZE).get_page(request.GET.get("page")),
        "f": f,
        "query": _query_without_page(request),
        "roles": OFFICE_ROLES,
        "schools": queries.school_filter_for_accounts(request.user),
    }
    template = "accounts/_users_table.html" if request.htmx else "accounts/users.html"
    return render(request, template, context)


def _account_form(request, instance):
    return forms.AccountForm(
        request.POST or None,
        instance=instance,
        acting_user=request.user,
        school_shown=request.GET.get("school"),  # sent by the person picker's requests
    )


def _shown_once(request, *, user, password: str, title: str):
    """A password shown on the answer to the POST that made it: never stored, never cached."""
    context = {"account": user, "password": password, "title": title}
    return render(request, "accounts/user_password.html", context)


@sensitive_post_parameters("password1", "password2")
@login_required
@never_cache
def user_create(request):
    access.require_manage_accounts(request.user)
    form = _account_form(request, User(office=request.user.office))
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.create_account(
                acting_user=request.user, username=data["username"], role=data["role"],
                first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
                school=data["school"], person=data["person"], password=data["password1"],
                must_change_password=data["must_change_password"],
            )  # fmt: skip
        except actions.AccountError as error:
            form.add_error(None, error)
        else:
            if made.password:
                return _shown_once(request, user=made.user, password=made.password,
                                   title="สร้างบัญชีผู้ใช้แล้ว")  # fmt: skip
            messages.success(request, f"สร้างบัญชี {made.user.username} แล้ว")
            return redirect("accounts:user_edit", pk=made.user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_edit(request, pk: int):
    account = access.account_for_edit(request.user, pk)
    form = _account_form(request, account)
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes = actions.update_account(
                acting_user=request.user, user=account, role=data["role"],
                first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
                school=data["school"], person=data["person"], is_active=data["is_active"],
            )  # fmt: skip
        except actions.AccountError as error:
            form.add_error(None, error)
        else:
            text = "บันทึกบัญชี {} แล้ว" if changes else "ไม่มีการเปลี่ยนแปลงบัญชี {}"
            messages.success(request, text.format(account.username))
            return redirect("accounts:user_edit", pk=account.pk)
        account.refresh_from_db()  # the bound form set the refused values on it
    context = {
        "form": form,
        "account": account,
        "reauthenticate": actions.needs_reauthentication(account),
        "is_self": account.pk == request.user.pk,
        "two_factor_on": queries.has_two_factor(account),
        "needs_setup_link": access.must_set_up_two_factor(account),
        "setup_link_hours": settings.KRUPD_2FA_SETUP_LINK_HOURS,
    }
    return render(request, "accounts/user_form.html", context)


def _confirm_acting_password(request, account) -> None:
    actions.confirm_acting_password(
        acting_user=request.user, user=account, password=request.POST.get("password", ""),
        ip_address=_client_ip(request),
    )  # fmt: skip


@sensitive_post_parameters("password")
@login_required
@never_cache
@require_POST
def user_reset_password(request, pk: int):
    account = access.account_for_edit(request.user, pk)
    try:
        _confirm_acting_password(request, account)
        password = actions.reset_password(acting_user=request.user, user=account)
    except actions.AccountError as error:
        messages.error(request, error.message)
        return redirect("accounts:user_edit", pk=account.pk)
    return _shown_once(request, user=account, password=password, title="รีเซ็ตรหัสผ่านแล้ว")


@sensitive_post_parameters("password")
@login_required
@require_POST
def user_reset_two_factor(request, pk: int):
    account = access.account_for_edit(request.user, pk)
    try:
        _confirm_acting_password(request, account)
        was_on = actions.reset_two_factor(user=account, acting_user=request.user)
    except actions.AccountError as error:
        messages.error(request, error.message)
    else:
        if was_on and access.must_set_up_two_factor(account):
            messages.success(request, f"ปิดการยืนยันตัวตนสองขั้นตอนของ {account.username} แล้ว "
                             "บทบาทนี้ต้องใช้การยืนยันตัวตนสองขั้นตอน ผู้ใช้จึงต้องใช้ลิงก์ตั้งค่า "
                             "กรุณาสร้างลิงก์ด้านล่างแล้วส่งให้ผู้ใช้")  # fmt: skip
        elif was_on:
            messages.success(request, f"ปิดการยืนยันตัวตนสองขั้นตอนของ {account.username} แล้ว "
                             "ผู้ใช้เข้าสู่ระบบด้วยรหัสผ่านอย่างเดียวได้ และตั้งค่าใหม่ได้เอง")  # fmt: skip
        else:
            messages.info(request, f"{account.username} ไม่ได้เปิดใช้การยืนยันตัวตนสองขั้นตอนอยู่แล้ว")
    return redirect("accounts:user_edit", pk=account.pk)


@sensitive_post_parameters("password")
@login_required
@never_cache
@require_POST
def user_two_factor_link(request, pk: int):
    """A one-time set-up link for a user whose role must use two-factor sign-in and who has
    not set it up (they cannot sign in with the password alone). Shown once."""
    account = access.account_for_edit(request.user, pk)
    try:
        _confirm_acting_password(request, account)
        token = actions.issue_two_factor_setup_link(acting_user=request.user, user=account)
    except actions.AccountError as error:
        messages.error(request, error.message)
        return redirect("accounts:user_edit", pk=account.pk)
    link = request.build_absolute_uri(reverse("accounts:two_factor_setup_link", args=[token]))
    context = {"account": account, "link": link, "hours": settings.KRUPD_2FA_SETUP_LINK_HOURS}
    return render(request, "accounts/user_two_factor_link.html", context)


@login_required
@never_cache
def school_accounts(request):
    """Teacher accounts for a whole school at once, handed over as a spreadsheet (once)."""
    access.require_manage_accounts(request.user)
    form = forms.SchoolAccountsForm(request.POST or request.GET or None, acting_user=request.user)
    school = form.cleaned_data["school"] if form.is_bound and form.is_valid() else None
    if request.method == "POST" and school is not None:
        try:
            made = actions.create_school_teacher_accounts(acting_user=request.user, school=school)
        except actions.AccountError as error:
            form.add_error(None, error)
        else:
            if not made:
                messages.info(request, f"บุคลากรของ{school.name}มีบัญชีครบทุกคนแล้ว")
                return redirect(f"{reverse('accounts:school_accounts')}?school={school.pk}")
            messages.success(request, f"สร้างบัญชีครูของ{school.name}แล้ว {len(made)} บัญชี")
            return _accounts_sheet(school, made)
    waiting = []
    if school is not None:
        waiting = list(queries.people_without_account(school).order_by("first_name", "last_name"))
    context = {
        "form": form,
        "school": school,
        "waiting": waiting,
        "prefix": actions.BULK_USERNAME_PREFIX,
        "username_example": f"{actions.BULK_USERNAME_PREFIX}1024",
    }
    return render(request, "accounts/school_accounts.html", context)


def _accounts_sheet(school, made) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(documents.accounts_xlsx(school, made), content_type=documents.XLSX_TYPE)
    name = f"krupd-accounts-{school.obec_code}-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
