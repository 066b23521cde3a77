from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.core.pagination import page_of
from haven.notifications.actions import do_mark_notifications_read, filter_notifications_for
from haven.notifications.display import notification_text, notification_url
from haven.notifications.permissions import check_mark_notifications_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, filter_notifications_for(request.user))
    items = [
        {"notification": n, "text": notification_text(n), "url": notification_url(n)}
        for n in page.object_list
    ]
    return render(request, "notifications/list.html", {"page": page, "items": items})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    check_mark_notifications_read(request.actor)
    do_mark_notifications_read(request.user)
    return redirect("notifications:list")
