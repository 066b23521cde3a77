import uuid

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.actions import do_create_user
from haven.accounts.blocks import has_blocked
from haven.accounts.gates import WriteRefused, record_write
from haven.accounts.guidelines import current_guidelines
from haven.accounts.language import signup_language
from haven.accounts.pseudonyms import suggest_free_pseudonym
from haven.accounts.rate_limits import check_rate_limit, count_towards_rate_limit
from haven.accounts.revocation import keep_this_session
from haven.chat import actions
from haven.chat.forms import (
    AvailabilityForm,
    FeedbackForm,
    MessageForm,
    QuickStartForm,
    QuizForm,
    TalkForm,
)
from haven.chat.models import ChatRequest, Conversation, ListenerProfile
from haven.chat.panels import conversation_panels
from haven.chat.permissions import (
    access_conversation_by_id,
    access_own_request,
    access_request_as_listener,
    active_listener_profile,
    check_block_in_chat,
    check_escalate,
    check_find_someone_else,
    check_join_conversation_as_moderator,
    check_leave_feedback,
    check_pass_offer,
    check_request_chat,
    check_send_message,
    check_take_part_in_chat,
    check_take_request,
)
from haven.chat.presence import listener_is_quiet
from haven.chat.safety_plan import do_share_plan_in_chat, plan_shared_in_chat
from haven.chat.training import crisis_protocol, lesson_by_slug, lessons, quiz_questions
from haven.core.error_pages import render_refused_form
from haven.core.redirects import redirect_to_next
from haven.core.text import render_markdown
from haven.moderation.actions import do_report_conversation
from haven.moderation.models import ReportReason
from haven.moderation.permissions import access_queue_item_by_id, check_report
from haven.notifications.actions import do_mark_chat_notifications_read
from haven.notifications.presence import is_present
from haven.safety.screening import TextNeedsReviewChoice, TextRefused
from haven.safety.support import crisis_lines_message, offer_support_panel
from haven.wellness.library import resources_by_ids
from haven.wellness.permissions import check_write_safety_plan

# --- Becoming a listener


@login_required
def training(request: HttpRequest) -> HttpResponse:
    profile = ListenerProfile.objects.filter(user=request.user).first()
    done = set(profile.lessons_completed) if profile else set()
    return render(
        request,
        "chat/training.html",
        {
            "profile": profile,
            "lessons": [{**lesson, "done": lesson["slug"] in done} for lesson in lessons()],
            "all_done": {lesson["slug"] for lesson in lessons()} <= done,
        },
    )


@login_required
@require_POST
def start_training(request: HttpRequest) -> HttpResponse:
    check_take_part_in_chat(request.actor)
    actions.do_start_training(request.user)
    return redirect("chat:lesson", slug=lessons()[0]["slug"])


@login_required
@require_http_methods(["GET", "POST"])
def lesson(request: HttpRequest, slug: str) -> HttpResponse:
    content = lesson_by_slug(slug)
    if content is None:
        raise Http404("No such lesson.")
    profile = actions.do_start_training(request.user)
    if request.method == "POST":
        check_take_part_in_chat(request.actor)
        actions.do_complete_lesson(profile, slug)
        slugs = [item["slug"] for item in lessons()]
        following = slugs.index(slug) + 1
        if following < len(slugs):
            return redirect("chat:lesson", slug=slugs[following])
        return redirect("chat:quiz")
    return render(
        request,
        "chat/lesson.html",
        {"lesson": content, "body_html": render_markdown(content["body"]), "profile": profile},
    )


@login_required
@require_http_methods(["GET", "POST"])
def quiz(request: HttpRequest) -> HttpResponse:
    profile = actions.do_start_training(request.user)
    form = QuizForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check_take_part_in_chat(request.actor)
        attempt = actions.do_submit_quiz(profile, form.cleaned_data)
        keep_this_session(request)  # a new role ends other sessions and tokens, not this one
        profile.refresh_from_db()
        wrong = [q for q in quiz_questions() if form.cleaned_data[q["id"]] != q["answer"]]
        return render(
            request,
            "chat/quiz_result.html",
            {"attempt": attempt, "profile": profile, "wrong": wrong},
        )
    return render(request, "chat/quiz.html", {"form": form, "profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def dashboard(request: HttpRequest) -> HttpResponse:
    profile = active_listener_profile(request.user)
    form = AvailabilityForm(
        request.POST or None,
        initial={
            "is_online": profile.is_online,
            "topics": ", ".join(profile.topics),
            "languages": profile.languages or ["en"],
            "max_chats": profile.max_chats,
            "experience": profile.experience,
        },
    )
    if request.method == "POST" and form.is_valid():
        check_take_part_in_chat(request.actor)
        actions.do_set_availability(profile, **form.cleaned_data)
        messages.success(
            request,
            _("You're available. Thank you.") if profile.is_online else _("You're offline."),
        )
        return redirect("chat:dashboard")
    actions.read_queue()
    waiting = ChatRequest.objects.filter(status=ChatRequest.Status.WAITING).order_by("created_at")
    active = Conversation.objects.filter(
        listener=request.user, status=Conversation.Status.ACTIVE
    ).order_by("-started_at")
    return render(
        request,
        "chat/dashboard.html",
        {
            "profile": profile,
            "form": form,
            "offers": actions.offers_to(request.user.pk),
            "waiting": waiting[:50],
            "active": active,
            # The switch alone is not enough: requests come only while Haven is open.
            "present": is_present(request.user.pk),
        },
    )


@login_required
@require_POST
def take_request(request: HttpRequest, request_id: int) -> HttpResponse:
    profile, chat_request = access_request_as_listener(request.user, request_id)
    check_take_request(request.actor, profile, chat_request)
    conversation = actions.do_take_request(profile, chat_request)
    return redirect("chat:conversation", conversation_id=conversation.pk)


@login_required
@require_POST
def pass_offer(request: HttpRequest, request_id: int) -> HttpResponse:
    profile, chat_request = access_request_as_listener(request.user, request_id)
    check_pass_offer(request.actor, profile, chat_request)
    actions.do_pass_offer(profile, chat_request)
    messages.info(request, _("Passed on. Someone else will be asked. Thank you for saying so."))
    return redirect("chat:dashboard")


# --- Asking for a chat


@require_http_methods(["GET", "POST"])
def talk(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _quick_start(request)
    open_chat = actions.open_chat_of(request.user)
    if open_chat is not None:
        # One at a time: say where the open one is instead of starting another.
        return render(
            request,
            "chat/talk.html",
            {
                "open_chat": open_chat,
                "open_chat_is_conversation": isinstance(open_chat, Conversation),
            },
        )
    # A listener who speaks the language the page is in, unless the seeker picks another.
    form = TalkForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            check_request_chat(request.actor)
        except WriteRefused as refusal:
            return render_refused_form(request, "chat/talk.html", {"form": form}, refusal)
        chat_request = actions.do_request_chat(request.user, **form.cleaned_data)
        record_write(request.actor, "chat_request")
        if "crisis" in chat_request.safety_labels:
            offer_support_panel(request, moderators_told=False)
        return redirect("chat:waiting", request_id=chat_request.pk)
    return render(request, "chat/talk.html", {"form": form})


def _quick_start(request: HttpRequest) -> HttpResponse:
    """One click to a pseudonymous account, for someone who needs to talk now."""
    form = QuickStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Its own limit, counted only when an account is made: failed sign-ups and other
        # writes from this address never stand between someone and a listener.
        try:
            check_rate_limit(request, "quick_start")
        except WriteRefused as refusal:
            context = {"form": form, "guidelines": current_guidelines()}
            return render_refused_form(request, "chat/quick_start.html", context, refusal)
        guidelines = current_guidelines()
        user = do_create_user(
            suggest_free_pseudonym(),
            None,  # no password yet: they can set one in settings to come back later
            guidelines_version=guidelines.version if guidelines else 0,
            language=signup_language(),
        )
        count_towards_rate_limit(request, "quick_start")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.info(
            request,
            _(
                "You're %(pseudonym)s here. Set a password in Settings if you want to come "
                "back to this account."
            )
            % {"pseudonym": user.pseudonym},
        )
        return redirect("chat:talk")
    return render(
        request, "chat/quick_start.html", {"form": form, "guidelines": current_guidelines()}
    )


@login_required
def waiting(request: HttpRequest, request_id: int) -> HttpResponse:
    chat_request = access_own_request(request.user, request_id)
    status = actions.waiting_status(chat_request)
    if status["status"] == "matched":
        return redirect("chat:conversation", conversation_id=status["conversation_id"])
    return render(
        request,
        "chat/waiting.html",
        {
            "chat_request": chat_request,
            "status": status,
            "resources": resources_by_ids(chat_request.suggested_resource_ids),
        },
    )


@login_required
def waiting_resources(request: HttpRequest, request_id: int) -> HttpResponse:
    """Polled by the waiting page until the job has found resources for the request."""
    chat_request = access_own_request(request.user, request_id)
    resources = resources_by_ids(chat_request.suggested_resource_ids)
    response = render(request, "chat/_waiting_resources.html", {"resources": resources})
    if resources or chat_request.status != ChatRequest.Status.WAITING:
        response.status_code = 286  # htmx: stop polling
    return response


@login_required
@require_POST
def cancel_request(request: HttpRequest, request_id: int) -> HttpResponse:
    check_take_part_in_chat(request.actor)
    actions.do_cancel_request(access_own_request(request.user, request_id))
    messages.info(request, _("Your request is cancelled. You can ask again any time."))
    return redirect("forums:home")


# --- The chat


@login_required
def conversations(request: HttpRequest) -> HttpResponse:
    mine = (
        Conversation.objects.filter(seeker=request.user)
        | Conversation.objects.filter(listener=request.user)
    ).order_by("-started_at")
    return render(request, "chat/conversations.html", {"conversations": mine[:50]})


@login_required
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    chat = access_conversation_by_id(request.user, conversation_id)
    role = chat.role_of(request.user)
    if role == "moderator":
        actions.do_record_moderator_chat_view(chat, request.user)
    do_mark_chat_notifications_read(request.user, chat)
    active = chat.status == Conversation.Status.ACTIVE
    blocked = _blocked_by_viewer(chat, request.user)
    return render(
        request,
        "chat/conversation.html",
        {
            "chat": chat,
            "role": role,
            "chat_messages": list(actions.visible_messages(chat, request.user)),
            "form": MessageForm(initial={"client_id": uuid.uuid4().hex}),
            "feedback_form": FeedbackForm() if role == "seeker" and not blocked else None,
            "blocked": blocked,
            # Already talking to someone: help offered here never says "Talk to someone now".
            "talking_now": active,
            "protocol": crisis_protocol() if role == "listener" else None,
            "crisis_lines": (
                # In the language the seeker asked to talk in, not the listener's.
                crisis_lines_message(
                    chat.seeker, chat.request.language if chat.request_id else None
                )
                if role == "listener" and active and chat.seeker_id is not None
                else None
            ),
            "crisis_lines_client_id": uuid.uuid4().hex,
            "plan_share": plan_shared_in_chat(chat, request.user, role),
            "listener_quiet": role == "seeker" and listener_is_quiet(chat),
            # Apps above chat add theirs, e.g. care's hand-off summary.
            "panels": conversation_panels(request, chat, role),
        },
    )


def _blocked_by_viewer(chat: Conversation, user) -> bool:
    other_id = chat.listener_id if chat.role_of(user) == "seeker" else chat.seeker_id
    return other_id is not None and has_blocked(user, other_id)


@login_required
@require_POST
def share_safety_plan(request: HttpRequest, conversation_id: int) -> HttpResponse:
    chat = access_conversation_by_id(request.user, conversation_id)
    check_write_safety_plan(request.actor)
    do_share_plan_in_chat(request.user, chat)
    messages.success(
        request, _("Your listener can now read your safety plan while this chat is open.")
    )
    return redirect_to_next(request, "wellness:safety_plan")


@login_required
@require_POST
def send(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The same send as the socket, for browsers without JavaScript."""
    chat = access_conversation_by_id(request.user, conversation_id)
    check_send_message(request.actor, chat)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message, _created = actions.do_send_message(
                chat, sender=request.user, body=form.cleaned_data["body"],
                client_id=form.cleaned_data["client_id"],
                send_for_review=request.POST.get("send_for_review") == "1",
            )  # fmt: skip
        except (TextRefused, TextNeedsReviewChoice) as refused:
            messages.error(request, str(refused))
        else:
            if "crisis" in message.safety_labels and chat.role_of(request.user) == "seeker":
                offer_support_panel(request, moderators_told=False)
    return redirect("chat:conversation", conversation_id=chat.pk)


@login_required
@require_POST
def end(request: HttpRequest, conversation_id: int) -> HttpResponse:
    chat = access_conversation_by_id(request.user, conversation_id)
    check_take_part_in_chat(request.actor)
    actions.do_end_conversation(chat, ended_by=request.user)
    messages.info(request, _("The chat has ended. Thank you for reaching out."))
    return redirect("chat:conversation", conversation_id=chat.pk)


@login_required
@require_POST
def find_someone_else(request: HttpRequest, conversation_id: int) -> HttpResponse:
    chat = access_conversation_by_id(request.user, conversation_id)
    check_find_someone_else(request.actor, chat)
    chat_request = actions.do_find_someone_else(chat, seeker=request.user)
    messages.info(request, _("You're back at the front of the line. We're finding someone else."))
    return redirect("chat:waiting", request_id=chat_request.pk)


@login_required
@require_POST
def block(request: HttpRequest, conversation_id: int) -> HttpResponse:
    chat = access_conversation_by_id(request.user, conversation_id)
    check_block_in_chat(request.actor, chat)
    actions.do_block(chat, blocker=request.user)
    messages.info(
        request,
        _("They are blocked and the chat has ended. You won't be matched with them again."),
    )
    return redirect("chat:conversation", conversation_id=chat.pk)


@login_required
@require_POST
def report(request: HttpRequest, conversation_id: int) -> HttpResponse:

    chat = access_conversation_by_id(request.user, conversation_id)
    check_report(request.actor)
    reason = request.POST.get("reason", ReportReason.HARASSMENT)
    if reason not in ReportReason.values:
        reason = ReportReason.OTHER
    do_report_conversation(
        request.user, chat, reason=reason, details=request.POST.get("details", "")[:500]
    )
    messages.success(request, _("Thank you. A moderator will read this chat and look into it."))
    return redirect("chat:conversation", conversation_id=chat.pk)


@login_required
@require_POST
def escalate(request: HttpRequest, conversation_id: int) -> HttpResponse:
    chat = access_conversation_by_id(request.user, conversation_id)
    check_escalate(request.actor, chat)
    actions.do_escalate(chat, listener=request.user, details=request.POST.get("details", "")[:500])
    messages.success(request, _("Moderators have been alerted. Stay with them if you can."))
    return redirect("chat:conversation", conversation_id=chat.pk)


@login_required
@require_POST
def join_as_moderator(request: HttpRequest, item_id: int) -> HttpResponse:
    """From an escalated chat's queue item: the moderator joins the chat itself."""

    item = access_queue_item_by_id(request.user, item_id)
    if item.conversation is None:
        raise Http404("No such chat.")
    check_join_conversation_as_moderator(request.actor, item.conversation)
    chat = actions.do_join_conversation_as_moderator(
        item.conversation, moderator=request.user, item=item
    )
    messages.success(request, _("You joined the chat. Both people see that a moderator is here."))
    return redirect("chat:conversation", conversation_id=chat.pk)


@login_required
@require_POST
def feedback(request: HttpRequest, conversation_id: int) -> HttpResponse:
    chat = access_conversation_by_id(request.user, conversation_id)
    check_leave_feedback(request.actor, chat)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        actions.do_leave_feedback(chat, **form.cleaned_data)
        messages.success(request, _("Thank you for your feedback."))
    return redirect("chat:conversation", conversation_id=chat.pk)
