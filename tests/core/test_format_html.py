"""haven.core.html.format_html is Django's format_html without its overhead: the same output
for every kind of argument, and nothing left unescaped."""

import pytest
from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from haven.core.html import format_html


class Marked:
    def __html__(self) -> str:
        return "<b>already html</b>"


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert('x')</script>",
        'a "quoted" & <tagged> value',
        mark_safe("<em>safe</em>"),
        42,
        None,
        gettext_lazy("Report"),
        Marked(),
    ],
    ids=repr,
)
def test_same_output_as_djangos(value):
    template = '<a href="/x/?q={}" title="{}">{}</a>'
    ours = format_html(template, value, value, value)
    assert ours == django_html.format_html(template, value, value, value)
    assert isinstance(ours, SafeString)


def test_named_fields_are_escaped_too():
    assert format_html("<p>{name}</p>", name="<i>") == "<p>&lt;i&gt;</p>"
