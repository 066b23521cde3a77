"""Support room pages. Thin: parse, check, one action, render or redirect. Everything live
happens over the room socket (rooms.js); these pages also work without JavaScript."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.blocks import ids_blocked_by
from haven.communities.rules import WatchedWordsRefused
from haven.moderation.models import ReportReason
from haven.notifications.models import Notification
from haven.rooms import actions
from haven.rooms.circles import check_and_join_room
from haven.rooms.display import names_in, pinned_fields, shown_messages
from haven.rooms.forms import MessageForm, MuteForm, SlowModeForm, StartRoomForm
from haven.rooms.permissions import (
    REMOVED_MESSAGE,
    access_message_in_room,
    access_place_in_room,
    access_room_as_member,
    access_room_by_id,
    can_host,
    check_act_on_member,
    check_can_host,
    check_host_action,
    check_leave_room,
    check_report_room_message,
    check_send_room_message,
    is_host_place,
    place_of,
)
from haven.rooms.queries import open_rooms, room_members
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import offer_support_panel

PAGE_MESSAGES = 200


@login_required
def room_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rooms/list.html",
        {"rooms": open_rooms(), "can_host": can_host(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def start_room(request: HttpRequest) -> HttpResponse:
    check_can_host(request.actor)
    form = StartRoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = actions.do_create_room(request.user, **form.cleaned_data)
        except (TextRefused, TextNeedsReviewChoice) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Your room is open. Welcome people in as they arrive."))
            return redirect("rooms:room", room_id=room.pk)
    return render(request, "rooms/start.html", {"form": form})


@login_required
def room(request: HttpRequest, room_id: int) -> HttpResponse:
    """The room itself for its members; its rules and a "join" button for everyone else."""
    room = access_room_by_id(request.user, room_id)
    place = place_of(room, request.user)
    if place is not None and place.removed_at is not None:
        raise PermissionDenied(str(REMOVED_MESSAGE))
    if place is None or place.left_at is not None:
        return render(request, "rooms/rules.html", {"room": room})
    # Notifications that lead here (a mention, a host's alert) are read once the room is open.
    Notification.objects.filter(
        recipient=request.user, kind=Notification.Kind.ROOM, link=request.path, read_at=None
    ).update(read_at=timezone.now())
    names = names_in(room)
    recent = list(actions.visible_messages(room, request.user).order_by("-id")[:PAGE_MESSAGES])[
        ::-1
    ]
    host = is_host_place(place) or request.user.is_site_moderator
    return render(
        request,
        "rooms/room.html",
        {
            "room": room,
            "place": place,
            "is_host": host,
            "room_messages": shown_messages(
                room, recent, names, request.user.pk, ids_blocked_by(request.user)
            ),
            "pinned": pinned_fields(room, room.pinned_message),
            "members": room_members(room),
            "form": MessageForm(initial={"client_id": uuid.uuid4().hex}),
            "mute_form": MuteForm() if host else None,
            "slow_form": SlowModeForm(initial={"seconds": room.slow_mode_seconds})
            if host
            else None,
            "report_reasons": ReportReason.choices,
            # Already in a live space with others: the header keeps "Talk to someone now" though.
            "talking_now": False,
        },
    )


@login_required
def members(request: HttpRequest, room_id: int) -> HttpResponse:
    """The member list alone (rooms.js reloads it when someone joins or leaves)."""
    room, place = access_room_as_member(request.user, room_id)
    host = is_host_place(place) or request.user.is_site_moderator
    return render(
        request,
        "rooms/_members.html",
        {"room": room, "members": room_members(room), "is_host": host, "place": place,
         "mute_form": MuteForm() if host else None},
    )  # fmt: skip


@login_required
@require_POST
def join(request: HttpRequest, room_id: int) -> HttpResponse:
    room = access_room_by_id(request.user, room_id)
    if request.POST.get("accept_rules") != "yes":
        messages.error(request, _("Please tick the box to say you've read the room's rules."))
        return redirect("rooms:room", room_id=room.pk)
    check_and_join_room(request.actor, room)
    return redirect("rooms:room", room_id=room.pk)


@login_required
@require_POST
def leave(request: HttpRequest, room_id: int) -> HttpResponse:
    _room, place = access_room_as_member(request.user, room_id)
    check_leave_room(request.actor)
    actions.do_leave_room(place)
    messages.info(request, _("You left the room. You're welcome back any time."))
    return redirect("rooms:list")


@login_required
@require_POST
def send(request: HttpRequest, room_id: int) -> HttpResponse:
    """The same send as the socket, for browsers without JavaScript."""
    room, place = access_room_as_member(request.user, room_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write a message of 1 to 1000 characters."))
        return redirect("rooms:room", room_id=room.pk)
    body, client_id = form.cleaned_data["body"], form.cleaned_data["client_id"]
    stored = actions.stored_message(room, request.user, client_id)
    try:
        if stored is not None:
            sent = actions.answer_retry(room, stored)
        else:
            check_send_room_message(request.actor, room, place)
            sent = actions.do_send_room_message(
                room, place, body=body, client_id=client_id,
                send_for_review=request.POST.get("send_for_review") == "1",
            )  # fmt: skip
    except (WatchedWordsRefused, TextRefused, TextNeedsReviewChoice, PermissionDenied) as refused:
        messages.error(request, str(refused))
        return redirect("rooms:room", room_id=room.pk)
    if sent.crisis:
        offer_support_panel(request, moderators_told=True)
    elif sent.held:
        messages.info(
            request, _("Your message is waiting for a moderator before the room sees it.")
        )
    return redirect("rooms:room", room_id=room.pk)


# --- Host tools


def _as_host(request: HttpRequest, room_id: int):
    room = access_room_by_id(request.user, room_id)
    place = place_of(room, request.user)
    check_host_action(request.actor, room, place)
    return room, place


@login_required
@require_POST
def mute(request: HttpRequest, room_id: int, member_id: int) -> HttpResponse:
    room, place = _as_host(request, room_id)
    target = access_place_in_room(room, member_id)
    check_act_on_member(request.actor, room, place, target)
    form = MuteForm(request.POST)
    if form.is_valid():
        minutes = form.cleaned_data["minutes"]
        actions.do_mute_member(room, target, minutes=minutes, acting_user=request.user)
        messages.success(request, _("Done. Everyone in the room can see it."))
    return redirect("rooms:room", room_id=room.pk)


@login_required
@require_POST
def remove(request: HttpRequest, room_id: int, member_id: int) -> HttpResponse:
    room, place = _as_host(request, room_id)
    target = access_place_in_room(room, member_id)
    check_act_on_member(request.actor, room, place, target)
    actions.do_remove_member(
        room, target, acting_user=request.user, reason=request.POST.get("reason", "")[:500]
    )
    messages.success(request, _("They have left the room and can't join it again."))
    return redirect("rooms:room", room_id=room.pk)


@login_required
@require_POST
def slow_mode(request: HttpRequest, room_id: int) -> HttpResponse:
    room, _place = _as_host(request, room_id)
    form = SlowModeForm(request.POST)
    if form.is_valid():
        actions.do_set_slow_mode(
            room, seconds=form.cleaned_data["seconds"], acting_user=request.user
        )
    return redirect("rooms:room", room_id=room.pk)


@login_required
@require_POST
def pin(request: HttpRequest, room_id: int) -> HttpResponse:
    room, _place = _as_host(request, room_id)
    message_id = request.POST.get("message_id", "")
    message = (
        access_message_in_room(room, int(message_id), request.user)
        if message_id.isdigit()
        else None
    )
    actions.do_pin_message(room, message, acting_user=request.user)
    return redirect("rooms:room", room_id=room.pk)


@login_required
@require_POST
def close(request: HttpRequest, room_id: int) -> HttpResponse:
    room, _place = _as_host(request, room_id)
    actions.do_close_room(room, acting_user=request.user)
    messages.info(request, _("The room is closed. Thank you for hosting."))
    return redirect("rooms:list")


# --- Reports


@login_required
@require_POST
def report(request: HttpRequest, room_id: int, message_id: int) -> HttpResponse:
    room, _place = access_room_as_member(request.user, room_id)
    message = access_message_in_room(room, message_id, request.user)
    check_report_room_message(request.actor, message)
    reason = request.POST.get("reason", ReportReason.HARASSMENT)
    if reason not in ReportReason.values:
        reason = ReportReason.OTHER
    actions.do_report_message(
        request.user, message, reason=reason, details=request.POST.get("details", "")[:500]
    )
    messages.success(
        request,
        _("Thank you. A moderator will look at it; the person won't know who reported them."),
    )
    return redirect("rooms:room", room_id=room.pk)
