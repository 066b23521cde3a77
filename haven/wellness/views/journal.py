from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.core.pagination import page_of
from haven.safety.support import offer_support_panel
from haven.wellness import journal, library
from haven.wellness.forms import JournalEntryForm
from haven.wellness.permissions import (
    access_journal_entry,
    check_delete_private,
    check_write_private,
)


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    tag = request.GET.get("tag", "")[:30]
    entries = journal.journal_entries_of(request.user, query=query, tag=tag)
    return render(
        request,
        "wellness/journal_list.html",
        {
            "page": page_of(request, entries),
            "query": query,
            "tag": tag,
            "tags": journal.journal_tags_of(request.user),
        },
    )


def _after_save(request: HttpRequest, saved: journal.SavedEntry, message: str) -> HttpResponse:
    if saved.crisis:
        # Private: the panel for the writer only; no moderator is told.
        offer_support_panel(request, moderators_told=False)
    messages.success(request, message)
    return redirect(saved.entry)


@login_required
def new_entry(request: HttpRequest) -> HttpResponse:
    form = JournalEntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check_write_private(request.actor)
        saved = journal.do_create_journal_entry(**form.cleaned_data, acting_user=request.user)
        return _after_save(request, saved, _("Saved to your journal."))
    return render(
        request, "wellness/journal_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = access_journal_entry(request.user, entry_id)
    resources = library.resources_by_ids(entry.suggested_resources)
    return render(request, "wellness/journal_entry.html", {"entry": entry, "resources": resources})


@login_required
def edit_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = access_journal_entry(request.user, entry_id)
    initial = {"title": entry.title, "body": entry.body, "mood": entry.mood, "tags": entry.tags}
    form = JournalEntryForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        check_write_private(request.actor)
        saved = journal.do_edit_journal_entry(entry, **form.cleaned_data, acting_user=request.user)
        return _after_save(request, saved, _("Your changes are saved."))
    return render(
        request,
        "wellness/journal_form.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def delete_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = access_journal_entry(request.user, entry_id)
    check_delete_private(request.actor)
    journal.do_delete_journal_entry(entry, acting_user=request.user)
    messages.success(request, _("The entry is deleted."))
    return redirect("wellness:journal")
