"""Setting up a community's editorial team: groups, permissions, collections, workflow and site.

``setup_community`` is what ``create_community``, the admin's «Nytt helsefellesskap» view and the
demo loader call. It is idempotent: running it again brings an existing community's team back to
the permission matrix below (extra page permissions given to the team's groups on the community
home are removed, missing ones added) and renames groups and collections if the name changed.

The permission matrix (see docs/editorial-model.md for the reasoning):

================================  ===================  ==============================
                                  redaktører           ansvarlige redaktører
================================  ===================  ==============================
pages in own community            add, change          add, change, publish, lock,
                                                       unlock
own collections (images, docs)    add, change, choose  add, change, delete, choose
«Felles bilder»                   choose               choose
admin                             access_admin         access_admin
sentral only: vocabulary,         add, change          add, change, delete
search promotions, «Felles
bilder»
================================  ===================  ==============================
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.users.models import UserProfile

from editorial.models import CommunityTeam
from kompetanse.communities import ensure_community
from kompetanse.models import CENTRAL_SLUG, CommunityHomePage

EDITOR = "editor"
PUBLISHER = "publisher"
ROLES = {EDITOR: "redaktører", PUBLISHER: "ansvarlige redaktører"}
ROLE_LABELS = {EDITOR: "redaktør", PUBLISHER: "ansvarlig redaktør"}

PAGE_PERMISSIONS = {
    EDITOR: ["add_page", "change_page"],
    PUBLISHER: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
# (app_label, codename) pairs given on the team's own collection (and inherited by its children).
OWN_COLLECTION_PERMISSIONS = {
    EDITOR: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
    PUBLISHER: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "delete_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "delete_document"),
        ("wagtaildocs", "choose_document"),
    ],
}
SHARED_IMAGES_NAME = "Felles bilder"
SHARED_IMAGES_FOR_ALL = [("wagtailimages", "choose_image")]
SHARED_IMAGES_FOR_CENTRAL = {
    EDITOR: [("wagtailimages", "add_image"), ("wagtailimages", "change_image")],
    PUBLISHER: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "delete_image"),
    ],
}
# Models the central team manages outside the page tree: the shared vocabulary and search.
# Every model of the ``search`` app (abbreviations, synonyms…) is added when it exists.
CENTRAL_MODELS = [
    ("kompetanse", "topic"),
    ("kompetanse", "contentowner"),
    ("wagtailsearchpromotions", "query"),
    ("wagtailsearchpromotions", "searchpromotion"),
]
CENTRAL_MODEL_ACTIONS = {EDITOR: ["add", "change"], PUBLISHER: ["add", "change", "delete"]}
CENTRAL_APPS = ["search"]
# Models the central team may see for every community without changing them: the communities'
# newsletter issues (newsletter/permissions.py; each team works its own through its page rights).
CENTRAL_VIEW_MODELS = [("newsletter", "issue")]


def group_name(name, role):
    return f"{name} – {ROLES[role]}"


def workflow_name(name):
    return f"Godkjenning – {name}"


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(codename):
    return _permission("wagtailcore", codename)


def _group(existing, name):
    """Reuse (and rename) the team's group, or take over a group that already has the name."""
    if existing is not None:
        if existing.name != name:
            existing.name = name
            existing.save(update_fields=["name"])
        return existing
    group, _ = Group.objects.get_or_create(name=name)
    return group


def _collection(existing, parent, name):
    if existing is not None:
        if existing.name != name:
            existing.name = name
            existing.save()
        return existing
    found = next((child for child in parent.get_children() if child.name == name), None)
    if found is not None:
        return found
    return parent.add_child(instance=Collection(name=name))


def shared_images_collection():
    """The «Felles bilder» collection every team may choose from; created when missing."""
    root = Collection.get_first_root_node()
    return _collection(None, root, SHARED_IMAGES_NAME)


def _set_collection_permissions(group, collection, pairs, *, exclusive=True):
    wanted = [_permission(app_label, codename) for app_label, codename in pairs]
    for permission in wanted:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )
    if exclusive:
        GroupCollectionPermission.objects.filter(group=group, collection=collection).exclude(
            permission__in=wanted
        ).delete()


def _set_page_permissions(group, page, codenames):
    wanted = [_page_permission(codename) for codename in codenames]
    for permission in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    GroupPagePermission.objects.filter(group=group, page=page).exclude(permission__in=wanted).delete()


def _central_model_permissions(role):
    models = list(CENTRAL_MODELS)
    models += [
        (content_type.app_label, content_type.model)
        for content_type in ContentType.objects.filter(app_label__in=CENTRAL_APPS)
    ]
    permissions = []
    for app_label, model in models:
        for action in CENTRAL_MODEL_ACTIONS[role]:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=f"{action}_{model}"
            ).first()
            if permission is not None:
                permissions.append(permission)
    for app_label, model in CENTRAL_VIEW_MODELS:
        permissions += Permission.objects.filter(content_type__app_label=app_label, codename=f"view_{model}")
    return permissions


def _workflow(team_workflow_name, publishers_group, community, previous_name=None):
    workflow = None
    if previous_name:
        workflow = Workflow.objects.filter(name=previous_name).first()
    if workflow is None:
        workflow = Workflow.objects.filter(name=team_workflow_name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=team_workflow_name, active=True)
    elif workflow.name != team_workflow_name or not workflow.active:
        workflow.name = team_workflow_name
        workflow.active = True
        workflow.save()
    task_name = f"Godkjenning av ansvarlig redaktør – {community.title}"
    workflow_task = WorkflowTask.objects.filter(workflow=workflow).select_related("task").first()
    if workflow_task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    else:
        task = workflow_task.task.specific
        if task.name != task_name:
            task.name = task_name
            task.save()
    task.groups.set([publishers_group])
    WorkflowPage.objects.update_or_create(page=community.page_ptr, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def setup_community(slug, name=None, hostname=None, *, publish=True):
    """Create or update a community and its editorial team; returns the ``CommunityTeam``.

    With ``publish=False`` a new community's home page and listings are drafts, and the community
    is not public until its team's publisher publishes the home page (the admin's «Nytt
    helsefellesskap» and ``create_community`` without ``--publiser``).
    """
    community = ensure_community(slug, name, publish=publish)
    name = community.title
    team = CommunityTeam.objects.filter(community=community).first()

    editors = _group(team.editors_group if team else None, group_name(name, EDITOR))
    publishers = _group(team.publishers_group if team else None, group_name(name, PUBLISHER))

    root_collection = Collection.get_first_root_node()
    collection = _collection(team.collection if team else None, root_collection, name)
    image_collection = _collection(team.image_collection if team else None, collection, "Bilder")
    document_collection = _collection(team.document_collection if team else None, collection, "Dokumenter")

    if team is None:
        team = CommunityTeam(community=community)
    team.editors_group = editors
    team.publishers_group = publishers
    team.collection = collection
    team.image_collection = image_collection
    team.document_collection = document_collection
    team.save()

    access_admin = _permission("wagtailadmin", "access_admin")
    # Readers' error reports: the admin lists each team only the reports on pages it may edit.
    error_reports = [_permission("lifecycle", f"{action}_errorreport") for action in ("view", "change")]
    shared = shared_images_collection()
    for role, group in ((EDITOR, editors), (PUBLISHER, publishers)):
        group.permissions.add(access_admin, *error_reports)
        _set_page_permissions(group, community.page_ptr, PAGE_PERMISSIONS[role])
        _set_collection_permissions(group, collection, OWN_COLLECTION_PERMISSIONS[role])
        shared_pairs = list(SHARED_IMAGES_FOR_ALL)
        if community.slug == CENTRAL_SLUG:
            shared_pairs += SHARED_IMAGES_FOR_CENTRAL[role]
            group.permissions.add(*_central_model_permissions(role))
        _set_collection_permissions(group, shared, shared_pairs)

    existing_workflow = (
        WorkflowPage.objects.filter(page=community.page_ptr).select_related("workflow").first()
    )
    _workflow(
        workflow_name(name),
        publishers,
        community,
        previous_name=existing_workflow.workflow.name if existing_workflow else None,
    )

    if hostname:
        site = (
            Site.objects.filter(root_page=community.page_ptr).first()
            or Site.objects.filter(hostname=hostname, port=80).first()
        )
        if site is None:
            site = Site(hostname=hostname, port=80)
        site.hostname = hostname
        site.root_page = community.page_ptr
        site.site_name = name
        site.save()
    return team


def team_for(slug):
    """The editorial team of the community with this slug, or raise ``CommunityTeam.DoesNotExist``."""
    return CommunityTeam.objects.select_related("community", "editors_group", "publishers_group").get(
        community__slug=slug
    )


def team_media_collection(community, kind):
    """The team's «Bilder» or «Dokumenter» collection for new media of this community, or None
    for a community without a team (registered with kompetanse.communities in the app config)."""
    team = (
        CommunityTeam.objects.filter(community_id=community.pk)
        .select_related("image_collection", "document_collection")
        .first()
    )
    if team is None:
        return None
    return team.image_collection if kind == "image" else team.document_collection


@transaction.atomic
def add_editor(username, slug, role, email=None, password=None):
    """Create the user if needed and put it in the community's team. Returns ``(user, created)``.

    The community's team is set up first if the community exists without one; a community that
    does not exist at all is an error (create it with ``create_community``).
    """
    if role not in ROLES:
        raise ValueError(f"Ukjent rolle «{role}». Bruk «editor» eller «publisher».")
    if not CommunityHomePage.objects.filter(slug=slug).exists():
        raise CommunityHomePage.DoesNotExist(
            f"Helsefellesskapet «{slug}» finnes ikke. Opprett det med create_community først."
        )
    team = CommunityTeam.objects.filter(community__slug=slug).first() or setup_community(slug)
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User.objects.create_user(username=username, email=email or "")
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    else:
        changed = []
        if email and user.email != email:
            user.email = email
            changed.append("email")
        if password and not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
    user.groups.add(team.group_for_role(role))
    profile = UserProfile.get_for_user(user)
    if not profile.preferred_language:
        profile.preferred_language = "nb"
        profile.save(update_fields=["preferred_language"])
    return user, created
