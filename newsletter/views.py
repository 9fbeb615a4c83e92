"""Reader views: subscribe to a community's newsletter, confirm, and unsubscribe in one click."""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from core.public_forms import form_token
from core.ratelimit import Limit, client_address
from kompetanse.models import CommunityHomePage, Topic
from newsletter import mail, tasks
from newsletter.forms import SubscribeForm
from newsletter.models import Subscriber

# Subscription attempts per client address and hour.
SUBSCRIBE_LIMIT = Limit("newsletter:subscribe", 10, 3600)
# Confirmation e-mails per address and community a day, however often it is asked for: nobody
# can use the form to fill another's mailbox.
CONFIRMATIONS_PER_ADDRESS = Limit("newsletter:confirmation", 3, 24 * 3600)


def front_page_offer(community):
    """«Nyhetsbrev» on the community's front page (kompetanse.registry.register_community_offer)."""
    return {
        "heading": "Nyhetsbrev",
        "text": f"Få det som er nytt og endret i {community.display_name} på e-post, for fagområdene du velger.",
        "url": reverse("newsletter:subscribe", args=[community.slug]),
        "link_text": "Abonner på nyhetsbrevet",
    }


def _community(slug):
    community = CommunityHomePage.objects.live().public().filter(slug=slug, depth=3).first()
    if community is None:
        raise Http404
    return community


def _form_page(request, community, form, status=200):
    return render(
        request,
        "newsletter/subscribe.html",
        {"community": community, "form": form, "form_token": form_token(community.pk)},
        status=status,
    )


# No CSRF token, as the other public forms (core/public_forms.py): the signed single-use field,
# the honeypot and the rate limits protect it.
@csrf_exempt
def subscribe(request, community_slug):
    community = _community(community_slug)
    if request.method != "POST":
        return _form_page(request, community, SubscribeForm(page_id=community.pk))
    form = SubscribeForm(request.POST, page_id=community.pk)
    if not SUBSCRIBE_LIMIT.allow(client_address(request)):
        form.is_valid()
        form.add_error(None, "Du har sendt mange forespørsler på kort tid. Prøv igjen om en time.")
        return _form_page(request, community, form, status=429)
    if not form.is_valid():
        return _form_page(request, community, form, status=400)
    email = form.cleaned_data["epost"].strip().lower()
    topics = list(form.cleaned_data["fagomrader"])
    subscriber = _subscriber(community, email)
    if CONFIRMATIONS_PER_ADDRESS.allow(email, community.pk):
        # The subscriber row is committed already (no transaction around the request).
        tasks.send_confirmation.enqueue(subscriber.pk, [topic.pk for topic in topics])
    # The same answer whether the address was new, waiting or already subscribed: the page tells
    # nobody who reads what. Only the owner of the address learns it, from the e-mail.
    return render(request, "newsletter/subscribe_sent.html", {"community": community, "email": email})


def _subscriber(community, email):
    subscriber = Subscriber.objects.filter(community=community, email=email).first()
    if subscriber is not None:
        return subscriber
    try:
        with transaction.atomic():
            return Subscriber.objects.create(community=community, email=email)
    except IntegrityError:  # the same address sent twice at once
        return Subscriber.objects.get(community=community, email=email)


def _message(request, context, status=200):
    return render(request, "newsletter/message.html", context, status=status)


def confirm(request, token):
    """A GET only shows the button: mail scanners open links, and must not subscribe anybody."""
    try:
        subscriber, topic_ids = mail.from_confirm_token(token)
    except mail.LinkExpired:
        return _message(request, {"expired": True}, status=410)
    if subscriber is None:
        return _message(request, {"invalid": True}, status=404)
    topics = list(Topic.objects.filter(pk__in=topic_ids).order_by("name"))
    context = {"community": subscriber.community, "topics": topics}
    if request.method != "POST":
        return _message(request, {**context, "ask_confirm": True})
    with transaction.atomic():
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at = timezone.now()
            subscriber.save(update_fields=["confirmed_at"])
        subscriber.topics.set(topics)
    return _message(request, {**context, "confirmed": True})


# RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to this address
# from the List-Unsubscribe header, without a page, a cookie or a CSRF token to send, so this view
# alone is exempt. The signed token in the address is the proof; it unsubscribes that one address.
@csrf_exempt
def unsubscribe(request, token):
    subscriber = mail.from_unsubscribe_token(token)
    if subscriber is None:
        if mail.is_our_unsubscribe_token(token):
            # Already unsubscribed: a second click, or the mail client after the reader.
            return _message(request, {"unsubscribed": True})
        return _message(request, {"invalid": True}, status=404)
    community = subscriber.community
    if request.method != "POST":
        return _message(request, {"community": community, "ask_unsubscribe": True})
    # Deleted, not marked: an address that wants nothing more is not kept.
    subscriber.delete()
    return _message(request, {"community": community, "unsubscribed": True})
