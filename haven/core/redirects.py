"""Where to go after a form: the `next` a page asked for, only if it stays on this site.

Every `next` in Haven goes through here, so a link like `?next=https://evil.example` can never
send a member elsewhere (an open redirect makes phishing pages look like Haven)."""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, default: str = "") -> str:
    """The `next` of the POST or the query string if it is a path on this site, else
    `default`. Other hosts, `//host`, `/\\host` and schemes like `javascript:` are refused."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def redirect_to_next(request: HttpRequest, fallback: str, *args, **kwargs) -> HttpResponseRedirect:
    """Redirect to the safe `next`, or to `fallback` (a URL name, a model or a path)."""
    target = safe_next_url(request)
    if target:
        return HttpResponseRedirect(target)
    return redirect(fallback, *args, **kwargs)
