from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chuangye.accounts.access import signed_in
from chuangye.inbox.actions import message_mark_read
from chuangye.inbox.models import Message


@signed_in
def inbox(request: HttpRequest) -> HttpResponse:
    messages = Message.objects.filter(recipient_id=request.user.pk)
    page = Paginator(messages, 30).get_page(request.GET.get("page"))
    return render(request, "inbox/list.html", {"page": page})


@signed_in
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one of the user's own messages read (the id comes in the form, the filter keeps it to their own)."""
    try:
        message_id = int(request.POST.get("message", ""))
    except ValueError:
        return redirect("inbox:list")
    message_mark_read(user=request.user, message_id=message_id)
    message = Message.objects.filter(pk=message_id, recipient_id=request.user.pk).first()
    return redirect(message.link if message and message.link.startswith("/") else "inbox:list")
