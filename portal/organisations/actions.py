"""Rules that change organisations: membership, the groups that carry members' rights, and the
private space. Every function is safe to run again (the signals and the demo call them freely)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupPagePermission, Page, PageViewRestriction

from portal.access.users import User

from . import selectors
from .models import OrganisationGroups, OrganisationMembership, OrganisationPage, OrganisationSpacePage

# Page permissions members hold on their space. Not "publish": publishing goes through moderation.
SPACE_PAGE_PERMISSIONS = ("add_page", "change_page")

# The space is content, not interface text: its title is stored per language like any page title.
SPACE_TITLES = {"nb": "Arbeidsrom", "nn": "Arbeidsrom", "en": "Workspace"}
SPACE_SLUG = "arbeidsrom"
SPACE_INTRO = {
    "nb": "Organisasjonens lukkede arbeidsrom. Bare medlemmene ser utkastene her.",
    "nn": "Det lukka arbeidsrommet til organisasjonen. Berre medlemene ser utkasta her.",
    "en": "The organisation's private workspace. Only its members see the drafts here.",
}


class MembershipError(ValidationError):
    """Bad membership input; the message is translated and safe to show the user."""


# --- groups ---------------------------------------------------------------------------------------


def _group_label(organisation: OrganisationPage) -> str:
    return (organisation.short_name or organisation.title)[:120]


def _free_group_name(name: str, *, current: Group | None = None) -> str:
    """``name``, or ``name (2)``, ``name (3)``... if another group already has it. We never adopt an
    existing group by name: it could have members we would then hand the space to."""
    candidate, number = name, 1
    while Group.objects.filter(name=candidate).exclude(pk__in=[current.pk] if current else []).exists():
        number += 1
        candidate = f"{name} ({number})"
    return candidate


@transaction.atomic
def ensure_groups(*, organisation: OrganisationPage) -> OrganisationGroups:
    """The organisation's members and leads groups, created if missing. Their rights are page
    permissions on the space subtree, used by the portal editor; no admin access."""
    groups = OrganisationGroups.objects.filter(organisation_key=organisation.translation_key).first()
    source = selectors.source_organisation(organisation)
    label = _group_label(source)
    if groups is None:
        members = Group.objects.create(name=_free_group_name(f"{label} members"))
        leads = Group.objects.create(name=_free_group_name(f"{label} leads"))
        groups = OrganisationGroups.objects.create(
            organisation_key=organisation.translation_key, members=members, leads=leads
        )
    else:
        # Keep the names in step with a renamed organisation, without stealing another group's name.
        for group, suffix in ((groups.members, "members"), (groups.leads, "leads")):
            wanted = f"{label} {suffix}"
            if not group.name.startswith(wanted):
                group.name = _free_group_name(wanted, current=group)
                group.save(update_fields=["name"])
    # Members work on the portal (the editor, the workspace), never in the admin: its site-wide
    # listings would show them other organisations' drafts. Taken away from groups made earlier.
    groups.members.permissions.remove(*Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ))
    groups.leads.permissions.remove(*Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ))
    return groups


@transaction.atomic
def sync_groups(*, organisation: Page) -> OrganisationGroups:
    """Make the groups' users exactly the organisation's members (and leads): called after every
    membership change, from the actions and from signals (admin edits, deletions)."""
    organisation = organisation.specific if not isinstance(organisation, OrganisationPage) else organisation
    groups = ensure_groups(organisation=organisation)
    rows = list(selectors.memberships(organisation=organisation).values_list("user_id", "role"))
    groups.members.user_set.set([user_id for user_id, _role in rows])
    groups.leads.user_set.set([user_id for user_id, role in rows if role == OrganisationMembership.Role.LEAD])
    return groups


# --- the space ------------------------------------------------------------------------------------


@transaction.atomic
def secure_space(*, space: OrganisationSpacePage) -> None:
    """Give a space page (in any language) its view restriction and its page permissions. Called
    whenever a space is saved, so translations and copies are never public, even for a moment
    after the transaction commits."""
    organisation = space.organisation
    groups = ensure_groups(organisation=organisation)
    restriction = (
        PageViewRestriction.objects.filter(page=space, restriction_type=PageViewRestriction.GROUPS).first()
    )
    # Any other kind of restriction (login, password) on the space would be wider than we allow.
    PageViewRestriction.objects.filter(page=space).exclude(pk=getattr(restriction, "pk", None)).delete()
    if restriction is None:
        restriction = PageViewRestriction.objects.create(page=space, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([groups.members])
    for codename in SPACE_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=groups.members, page=space, permission=permission)


@transaction.atomic
def ensure_space(*, organisation: OrganisationPage) -> OrganisationSpacePage:
    """The organisation's space under this language version of its page, created (as a translation
    of the space in another language if there is one) and published if missing."""
    existing = selectors.space_for(organisation=organisation)
    if existing is not None:
        secure_space(space=existing)
        return existing
    language = organisation.locale.language_code
    other = selectors.spaces_of(organisation=organisation).first()
    if other is not None:
        space = other.copy_for_translation(organisation.locale).specific
        space.title = SPACE_TITLES.get(language, space.title)
        space.intro = SPACE_INTRO.get(language, space.intro)
    else:
        space = OrganisationSpacePage(
            title=SPACE_TITLES.get(language, SPACE_TITLES["en"]),
            slug=SPACE_SLUG,
            intro=SPACE_INTRO.get(language, SPACE_INTRO["en"]),
            locale=organisation.locale,
        )
        organisation.add_child(instance=space)
    # The save secures the page (signal) before it is ever live.
    space.save()
    secure_space(space=space)
    if organisation.live:
        space.save_revision().publish()
    return space


# --- membership -----------------------------------------------------------------------------------


def _check_actor(actor: User | None, organisation: Page) -> None:
    """``actor=None`` means the system (demo loader, data migration); people must be leads."""
    if actor is not None and not selectors.can_manage_members(user=actor, organisation=organisation):
        raise PermissionDenied(_("Only the organisation's leads can manage its members."))


def _check_role(role: str) -> None:
    if role not in OrganisationMembership.Role.values:
        raise MembershipError(_("Choose a valid role."), code="invalid_role")


@transaction.atomic
def membership_add(
    *, organisation: OrganisationPage, user: User, role: str = OrganisationMembership.Role.MEMBER,
    actor: User | None = None,
) -> OrganisationMembership:
    """Make ``user`` a member; they get the space at once (group sync in the same transaction)."""
    _check_actor(actor, organisation)
    _check_role(role)
    if not user.is_active:
        raise MembershipError(_("That account is deactivated."), code="inactive_user")
    if selectors.membership_of(user=user, organisation=organisation) is not None:
        raise MembershipError(
            _("%(user)s is already a member of this organisation.") % {"user": user.get_full_name() or user},
            code="already_member",
        )
    try:
        # A savepoint: two leads adding the same person at once hit the unique constraint; the
        # second gets the same clear error instead of a broken transaction.
        with transaction.atomic():
            membership = OrganisationMembership.objects.create(
                organisation=selectors.source_organisation(organisation), user=user, role=role
            )
    except IntegrityError:
        raise MembershipError(
            _("%(user)s is already a member of this organisation.") % {"user": user.get_full_name() or user},
            code="already_member",
        ) from None
    sync_groups(organisation=organisation)
    return membership


def _refuse_losing_last_lead(membership: OrganisationMembership) -> None:
    if membership.role != OrganisationMembership.Role.LEAD:
        return
    # Lock every lead row of the organisation before counting: two leads demoting each other at the
    # same moment must not both see "another lead is left" and leave none (PostgreSQL; SQLite
    # serialises writers anyway).
    leads = selectors.memberships(organisation=membership.organisation).filter(
        role=OrganisationMembership.Role.LEAD
    )
    if len(list(leads.select_for_update(of=("self",)).select_related(None).order_by("pk"))) <= 1:
        raise MembershipError(
            _("An organisation must always have at least one lead. Make someone else a lead first."),
            code="last_lead",
        )


@transaction.atomic
def membership_change_role(
    *, membership: OrganisationMembership, role: str, actor: User | None = None
) -> OrganisationMembership:
    membership = OrganisationMembership.objects.select_for_update(of=("self",)).select_related("organisation").get(
        pk=membership.pk
    )
    _check_actor(actor, membership.organisation)
    _check_role(role)
    if membership.role == role:
        return membership
    if role != OrganisationMembership.Role.LEAD:
        _refuse_losing_last_lead(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    sync_groups(organisation=membership.organisation)
    return membership


@transaction.atomic
def membership_remove(*, membership: OrganisationMembership, actor: User | None = None) -> None:
    """End a membership; the person loses the space at once (group sync in the same transaction)."""
    membership = OrganisationMembership.objects.select_for_update(of=("self",)).select_related("organisation").get(
        pk=membership.pk
    )
    _check_actor(actor, membership.organisation)
    _refuse_losing_last_lead(membership)
    organisation = membership.organisation
    membership.delete()
    sync_groups(organisation=organisation)
