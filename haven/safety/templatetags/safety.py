from django import template

from haven.safety.pipeline import LABEL_NAMES

register = template.Library()


@register.filter
def label_name(label: str) -> str:
    """A safety label as moderators read it, in their language ('datos personales')."""
    return str(LABEL_NAMES.get(label, label))
