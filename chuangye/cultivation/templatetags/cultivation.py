"""Template tags for nurturing founders: what a loan application carries from its borrower's preparation."""

from typing import Any

from django import template

from chuangye.cultivation.selectors import AttachmentView, attachment_for

register = template.Library()


@register.simple_tag
def loan_attachments(application: Any) -> AttachmentView | None:
    """The assessment and simulation attached to ``application``. The page that includes this has already
    checked that the viewer may see the application (loans.access), and what is attached goes with it."""
    if application is None:
        return None
    return attachment_for(application)
