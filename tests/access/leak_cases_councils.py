"""Private kinds of the councils area: a thread in a council's private space, a reply (also by
e-mail to followers), a hidden post, a post's attachment, an internal document, and the contact
details on a council's member list. Members are seated through the secretary's own action."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from portal.core.documents import simple_pdf
from portal.councils import actions
from portal.councils.models import CouncilMembership
from tests.access.leak_cases import PrivateCase, private_kind, untranslated_urls
from tests.helpers import demo_page, demo_user, make_user, restrict_to_groups

BERGEN = "brukerutvalget-i-bergen"
VESTLAND = "brukerutvalget-i-vestland"


def seated(slug: str, username: str, **fields):
    user = make_user(username)
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    actions.membership_add(council=demo_page(slug), user=user)
    return user


def thread_urls(thread) -> list[str]:
    """The thread in every language version of the council, and the space that lists it."""
    urls = [thread.url_in(demo_page(BERGEN, language)) for language in ("nb", "nn", "en")]
    return urls + [demo_page(BERGEN).space_url("space"), demo_page(BERGEN, "en").space_url("space")]


def admin_document_urls(document) -> list[str]:
    return [f"/admin/documents/edit/{document.pk}/", f"/admin/documents/usage/{document.pk}/",
            f"/admin/documents/?q={document.title}", f"/admin/documents/chooser/?q={document.title}"]


@private_kind("council thread", insiders=("moderator",))
def council_thread() -> PrivateCase:
    secret = "Hvalrossbukta"
    member = seated(BERGEN, "leak-utvalg-medlem")
    other = seated(VESTLAND, "leak-fylke-medlem")
    thread = actions.thread_start(council=demo_page(BERGEN), author=member, title=f"Sak om {secret}",
                                  body=f"{secret} og Snipemyra må tas opp med kontoret.")
    # Positive control for search counts: the member does find it.
    return PrivateCase(secret=secret, hidden=("Snipemyra",), member=member, other_member=other,
                       urls={"page": thread_urls(thread)}, member_sees=("page", "search counts"))


@private_kind("council reply", notifies=True, insiders=("moderator",))
def council_reply() -> PrivateCase:
    secret = "Lundefjellet"
    member = seated(BERGEN, "leak-svar-medlem")
    replier = seated(BERGEN, "leak-svar-skriver")
    other = seated(VESTLAND, "leak-svar-fylke")
    thread = actions.thread_start(council=demo_page(BERGEN), author=member, title="Oppfølging etter møtet",
                                  body="Hva gjør vi videre?")
    actions.thread_reply(thread=thread, author=replier, body=f"{secret}: vi ber om et nytt møte om Teistevika.")
    # Followers who must NOT hear about the next reply: a member whose period has ended, and
    # someone who never sat on the council (followers are not access).
    former = seated(BERGEN, "leak-svar-tidligere")
    actions.thread_reply(thread=thread, author=former, body="Jeg følger med.")
    CouncilMembership.objects.filter(user=former).update(
        start=timezone.localdate() - datetime.timedelta(days=30), end=timezone.localdate() - datetime.timedelta(days=1)
    )
    thread.followers.add(other, make_user("leak-svar-utenfor"))

    def trigger() -> None:
        with TestCase.captureOnCommitCallbacks(execute=True):
            actions.thread_reply(thread=thread, author=replier,
                                 body=f"Mer om {secret}: kontoret svarer om Teistevika innen fredag.")

    return PrivateCase(secret=secret, hidden=("Teistevika",), member=member, other_member=other,
                       urls={"page": thread_urls(thread)}, trigger_notifications=trigger,
                       notified_members=(member,))


@private_kind("hidden council post", insiders=("moderator",))
def hidden_council_post() -> PrivateCase:
    """The hidden text is for moderators (here: the council's secretary); the notice for members."""
    secret = "Kjeftesmella"
    author = seated(BERGEN, "leak-skjult-forfatter")
    secretary = seated(BERGEN, "leak-skjult-sekretaer")
    CouncilMembership.objects.filter(user=secretary).update(role=CouncilMembership.Role.SECRETARY)
    other = seated(VESTLAND, "leak-skjult-fylke")
    thread = actions.thread_start(council=demo_page(BERGEN), author=author, title="Om forrige møte",
                                  body=f"{secret} om Ravnefjell og de andre.")
    actions.post_hide(post=thread.posts.first(), actor=secretary, reason="Usaklig")
    return PrivateCase(secret=secret, hidden=("Ravnefjell",), member=secretary, other_member=other,
                       urls={"page": thread_urls(thread)})


def _pdf(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, simple_pdf("Vedlegg", text), content_type="application/pdf")


@private_kind("council post attachment", insiders=("moderator",))
def council_attachment() -> PrivateCase:
    secret = "Krykkjeberget"
    member = seated(BERGEN, "leak-vedlegg-medlem")
    other = seated(VESTLAND, "leak-vedlegg-fylke")
    thread = actions.thread_start(council=demo_page(BERGEN), author=member, title="Notat vedlagt",
                                  body="Se vedlagt notat.", files=[_pdf("notat-krykkje.pdf",
                                                                        f"{secret} ved Alkekongen")])
    document = thread.posts.first().attachments.first().document
    return PrivateCase(secret=secret, hidden=("Alkekongen",), member=member, other_member=other,
                       urls={"document": [document.url], "admin": admin_document_urls(document)},
                       member_sees=("document", "search counts"))


@private_kind("council internal document")
def council_internal_document() -> PrivateCase:
    secret = "Havhestholmen"
    member = seated(BERGEN, "leak-dok-medlem")
    other = seated(VESTLAND, "leak-dok-fylke")
    document = actions.document_upload(council=demo_page(BERGEN), actor=member, title="Internt budsjettnotat",
                                       upload=_pdf("budsjett.pdf", f"{secret} og Skarvskjæret"))
    # The space lists it for members only; moderators open the space (they read threads to hide
    # posts) but never see its documents: a listing, judged by content, not by status.
    return PrivateCase(secret=secret, hidden=("Skarvskj",), member=member, other_member=other,
                       urls={"document": [document.url], "admin": admin_document_urls(document),
                             "listing": [demo_page(BERGEN).space_url("space")]},
                       member_sees=("document",))


@private_kind("council member contact details")
def council_member_contacts() -> PrivateCase:
    secret = "alkekonge.kontakt@example.org"
    member = seated(BERGEN, "leak-kontakt-medlem")
    seated(BERGEN, "leak-kontakt-alke", email=secret)
    other = seated(VESTLAND, "leak-kontakt-fylke")
    # The demo secretary's address is a contact detail too: never public.
    urls = {"page": [demo_page(BERGEN, language).space_url("members") for language in ("nb", "nn", "en")]}
    return PrivateCase(secret=secret, hidden=(demo_user("utvalgssekretaer").email,), member=member,
                       other_member=other, urls=urls)


@private_kind("council document linked from a public page")
def council_document_linked_from_public_page() -> PrivateCase:
    """A public page links a council's internal document by id (#17 finding 3): the page's
    readers, its search entry and its snippets must carry nothing of the document's text."""
    from portal.core.models import StandardPage

    secret = "Alkefjellet"
    member = seated(BERGEN, "leak-lenket-medlem")
    other = seated(VESTLAND, "leak-lenket-fylke")
    document = actions.document_upload(council=demo_page(BERGEN), actor=member, title="Notat til lenking",
                                       upload=_pdf("lenket.pdf", f"{secret} og Teistberget"))
    page = StandardPage(title="Offentlig side med lenke", slug="offentlig-lenke-lekk",
                        body=f'<p>Les <a linktype="document" id="{document.pk}">notatet</a> om Fuglefjellet.</p>')
    demo_page("hjem").add_child(instance=page)
    page.save_revision().publish()
    return PrivateCase(secret=secret, hidden=("Teistberget",), member=member, other_member=other,
                       urls={"document": [document.url], "listing": [page.url]}, member_sees=("document",))


@private_kind("council internal page")
def council_internal_page() -> PrivateCase:
    """A page below the council restricted to its members group (what the secretariat does in the
    admin for an internal note): known by its id to the language switcher's untranslated notice."""
    from portal.core.models import StandardPage

    secret = "Havellefjorden"
    member = seated(BERGEN, "leak-side-medlem")
    other = seated(VESTLAND, "leak-side-fylke")
    page = StandardPage(title=f"Internt notat om {secret}", slug="internt-notat-lekk",
                        body=f"<p>{secret} og Sjoorreskjaeret.</p>")
    demo_page(BERGEN).add_child(instance=page)
    page.save_revision().publish()
    restrict_to_groups(page, actions.ensure_space(council=demo_page(BERGEN)).members)
    return PrivateCase(secret=secret, hidden=("Sjoorreskjaeret",), member=member, other_member=other,
                       urls={"page": [page.url], "untranslated": untranslated_urls(page)},
                       member_sees=("page", "untranslated"))
