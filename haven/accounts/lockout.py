"""What a member sees when logging in is paused after repeated wrong passwords."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

MESSAGE = "Too many attempts. For your account's safety, please wait 15 minutes and try again."


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": MESSAGE}, status=429)
    return render(request, "accounts/locked_out.html", {"message": MESSAGE}, status=429)
