from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(request: HttpRequest, items, per_page: int | None = None) -> Page:
    """The page the request asks for (?page=N); out-of-range or odd numbers give a valid page."""
    paginator = Paginator(items, per_page or settings.HAVEN_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
