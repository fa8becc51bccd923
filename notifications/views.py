from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from krupd.lib import query_params
from registry.models import Office

from . import access, actions, forms, queries
from .delivery import site_url
from .kinds import Kind
from .models import DeliveryStatus

PAGE_SIZE = 30
NO_OFFICE_LINE = (
    "บัญชีระดับจังหวัด ภาค และประเทศรับการแจ้งเตือนทาง LINE ไม่ได้ (บัญชีทางการ LINE เป็นของแต่ละเขตพื้นที่)"
)


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(queries.inbox(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "unread_only": unread_only,
        "query": "show=unread" if unread_only else "",
    }
    return render(request, "notifications/inbox.html", context)


@login_required
def open_notification(request, pk: int):
    """Follow a notification's link (from the inbox, an email or LINE) and mark it read."""
    notification = access.own_notification(request.user, pk)
    actions.mark_read(acting_user=request.user, notification=notification)
    url = query_params.local_path(notification.url, request.get_host())
    return redirect(url or reverse("notifications:inbox"))


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = access.own_notification(request.user, pk)
    actions.mark_read(acting_user=request.user, notification=notification)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = actions.mark_all_read(acting_user=request.user)
    messages.success(request, f"ทำเครื่องหมายว่าอ่านแล้ว {count} รายการ")
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    user = request.user
    if request.method == "POST":
        actions.save_preferences(
            acting_user=user,
            choices=forms.read_choices(request.POST),
            digest="email_digest" in request.POST,
        )
        messages.success(request, "บันทึกการตั้งค่าการแจ้งเตือนแล้ว")
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "groups": queries.preference_rows(user),
            "profile": queries.recipient_profile(user),
            "channel": queries.line_channel(user.office),
        },
    )


@login_required
@require_POST
def line_code(request):
    if request.user.office_id is None:
        messages.error(request, NO_OFFICE_LINE)
    elif queries.line_channel(request.user.office) is None:
        messages.error(request, "เขตพื้นที่ยังไม่ได้ตั้งค่าบัญชีทางการ LINE")
    else:
        actions.new_link_code(acting_user=request.user)
    return redirect(reverse("notifications:preferences") + "#line")


@login_required
@require_POST
def line_unlink(request):
    actions.unlink_line(acting_user=request.user)
    messages.success(request, "ยกเลิกการเชื่อมต่อ LINE แล้ว จะไม่ได้รับการแจ้งเตือนทาง LINE อีก")
    return redirect(reverse("notifications:preferences") + "#line")


@login_required
def office_settings(request):
    user = request.user
    access.require_office_admin(user)
    office = user.office
    channel = queries.line_channel(office)
    initial = {}
    if channel:
        initial = {
            "basic_id": channel.basic_id,
            "enabled": channel.enabled,
            "quiet_from": channel.quiet_from,
            "quiet_until": channel.quiet_until,
        }
    form = forms.LineChannelForm(initial=initial)
    if request.method == "POST" and request.POST.get("part") == "line":
        form = forms.LineChannelForm(request.POST)
        if form.is_valid():
            try:
                actions.save_line_channel(acting_user=user, office=office, **form.cleaned_data)
            except actions.NotificationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "บันทึกการตั้งค่าบัญชีทางการ LINE แล้ว")
                return redirect("notifications:office")
    elif request.method == "POST" and request.POST.get("part") == "defaults":
        actions.save_office_defaults(
            acting_user=user, office=office, choices=forms.read_choices(request.POST)
        )
        messages.success(request, "บันทึกค่าเริ่มต้นของเขตพื้นที่แล้ว")
        return redirect("notifications:office")
    webhook = site_url(reverse("notifications:line_webhook", args=[office.pk]))
    return render(
        request,
        "notifications/office.html",
        {
            "form": form,
            "channel": channel,
            "webhook_url": webhook,
            "groups": queries.office_default_rows(office),
            "counts": queries.delivery_counts(office),
        },
    )


@login_required
def deliveries(request):
    user = request.user
    access.require_office_admin(user)
    status = request.GET.get("status", DeliveryStatus.FAILED)
    if status not in DeliveryStatus.values:
        status = ""
    rows = queries.office_deliveries(user.office, status=status).prefetch_related("log")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/deliveries.html",
        {
            "page": page,
            "status": status,
            "statuses": DeliveryStatus.choices,
            "counts": queries.delivery_counts(user.office),
        },
    )


@login_required
@require_POST
def deliveries_retry(request):
    user = request.user
    access.require_office_admin(user)
    rows = queries.office_deliveries(user.office, status=DeliveryStatus.FAILED)
    ids = request.POST.getlist("delivery")
    if ids:  # ticked rows; an id that is none (0) retries nothing
        rows = rows.filter(pk__in=[query_params.object_id(i) for i in ids])
    count = actions.retry_failed(acting_user=user, deliveries=rows)
    messages.success(request, f"ส่งใหม่ {count} รายการ ระบบกำลังส่งอยู่เบื้องหลัง")
    return redirect(reverse("notifications:deliveries") + "?status=failed")


@csrf_exempt  # mail apps post here themselves (RFC 8058 one-click); the signed token is the key
def unsubscribe(request, token: str):
    try:
        user_id, kinds = actions.read_unsubscribe_token(token)
    except actions.NotificationError as error:
        context = {"error": error.message}
        return render(request, "notifications/unsubscribe.html", context, status=400)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:  # closed since the email was sent: nothing is sent to it any more
        context = {"closed": True}
        return render(request, "notifications/unsubscribe.html", context)
    done = request.method == "POST"
    if done:
        actions.unsubscribe(user=user, kinds=kinds)
    labels = "”, “".join(Kind(kind).label for kind in kinds)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind_label": labels, "done": done, "token": token},
    )


@csrf_exempt  # LINE signs the request body instead (X-Line-Signature), checked below
@require_POST
def line_webhook(request, office_pk: int):
    office = get_object_or_404(Office, pk=office_pk)
    try:
        actions.handle_line_webhook(
            office=office,
            body=request.body,
            signature=request.headers.get("X-Line-Signature", ""),
        )
    except actions.BadSignature:
        return HttpResponseForbidden("invalid signature")
    return HttpResponse("ok")
