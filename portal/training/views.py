"""Training on the portal: the course list and a course (sign-up), the arranger's participant list
with attendance and the evaluations in aggregate, the evaluation form, and for a council's secretary
and chair the table of who has completed what, the new-course form and the cost export.
Thin: rules in actions.py, reads in selectors.py, visibility in portal.access.visibility."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from portal.access.users import User
from portal.access.visibility import can_view, filter_viewable
from portal.councils import selectors as councils
from portal.councils.models import CouncilPage
from portal.organisations.models import OrganisationPage

from . import actions, exports, selectors
from .forms import CompletionForm, CourseForm, EvaluationForm, RenewalForm, SignUpForm
from .models import Course, Module


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    return _private(TemplateResponse(request, "training/forbidden.html", {"message": message}, status=403))


def _public_council(council_id: int) -> CouncilPage:
    council = get_object_or_404(CouncilPage, pk=council_id)
    if not can_view(AnonymousUser(), council):
        raise Http404
    return council


def _course(course_id: int) -> Course:
    found = selectors.course(course_id=course_id)
    if found is None or not can_view(AnonymousUser(), found):
        raise Http404(_("No such course."))
    return found


def _errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _describe(course: Course) -> Course:
    return selectors.describe(courses=[course])[0]


# --- public ---------------------------------------------------------------------------------------------


def course_list(request: HttpRequest) -> HttpResponse:
    upcoming = selectors.describe(courses=selectors.upcoming_courses())
    by_module = [(label, selectors.module_page(module=value), [c for c in upcoming if c.module == value])
                 for value, label in Module.choices]
    return TemplateResponse(request, "training/course_list.html", {"by_module": by_module})


def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _describe(_course(course_id))
    user = request.user
    form = SignUpForm(prefix="signup")
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        action = request.POST.get("action")
        try:
            if action == "sign_up":
                form = SignUpForm(request.POST, prefix="signup")
                if form.is_valid():
                    actions.sign_up(course=course, user=user, needs=form.cleaned_data["needs"])
                    messages.success(request, _("You are signed up for the course."))
                    return HttpResponseRedirect(request.path)
            elif action == "withdraw":
                actions.withdraw(course=course, user=user)
                messages.success(request, _("You are no longer signed up for the course."))
                return HttpResponseRedirect(request.path)
            else:
                return HttpResponse(_("Unknown action."), status=400, content_type="text/plain; charset=utf-8")
        except PermissionDenied as error:
            return _refuse(request, str(error))
        except actions.TrainingError as error:
            form = SignUpForm(request.POST, prefix="signup")
            form.is_valid()
            _errors(form, error)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    enrolment = selectors.enrolment_of(user=user, course=course)
    context = {
        "course": course,
        "module_page": selectors.module_page(module=course.module),
        "form": form,
        "enrolment": enrolment,
        "may_sign_up": selectors.may_sign_up(user=user, course=course),
        "is_arranger": selectors.is_arranger(user=user, course=course),
        "may_evaluate": selectors.may_evaluate(user=user, course=course)
        and not selectors.has_evaluated(user=user, course=course),
    }
    status = 400 if form.is_bound and form.errors else 200
    response = TemplateResponse(request, "training/course_detail.html", context, status=status)
    # The page shows the reader's own sign-up: never cached for others.
    return _private(response) if user.is_authenticated else response


# --- the arranger ------------------------------------------------------------------------------------


def participants(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _describe(_course(course_id))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.is_arranger(user=request.user, course=course):
        return _refuse(request, _("Only the course's arranger sees its participants."))
    errors: list[str] = []
    if request.method == "POST":
        try:
            ids = {int(value) for value in request.POST.getlist("attended")}
        except ValueError:
            errors.append(_("Someone in the list is no longer signed up. Reload the page and try again."))
        else:
            try:
                actions.record_attendance(course=course, actor=request.user, attended_ids=ids)
            except actions.TrainingError as error:
                errors.extend(error.messages)
            else:
                messages.success(request, _("Attendance was recorded."))
                return HttpResponseRedirect(request.path)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    rows = list(filter_viewable(request.user, selectors.participants(course=course)))
    context = {
        "course": course,
        "participants": rows,
        "errors": errors,
        "summary": selectors.evaluation_summary(course=course),
        "min_answers": selectors.MIN_ANSWERS_FOR_COMMENTS,
    }
    return _private(TemplateResponse(request, "training/participants.html", context, status=400 if errors else 200))


# --- the participant's evaluation --------------------------------------------------------------------


def evaluate(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _describe(_course(course_id))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.may_evaluate(user=request.user, course=course):
        return _refuse(request, _("Only participants who attended can evaluate the course, once it is over."))
    if selectors.has_evaluated(user=request.user, course=course):
        messages.info(request, _("You have already evaluated this course. Thank you!"))
        return HttpResponseRedirect(reverse("training:course", args=[course.pk]))
    form = EvaluationForm()
    if request.method == "POST":
        form = EvaluationForm(request.POST)
        if form.is_valid():
            try:
                actions.evaluate(course=course, user=request.user, **form.cleaned_data)
            except actions.TrainingError as error:
                _errors(form, error)
            else:
                messages.success(request, _("Thank you for your evaluation."))
                return HttpResponseRedirect(reverse("training:course", args=[course.pk]))
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    status = 400 if form.is_bound and form.errors else 200
    return _private(TemplateResponse(request, "training/evaluate.html", {"course": course, "form": form},
                                     status=status))


# --- the secretary and chair --------------------------------------------------------------------------


def council_training(request: HttpRequest, council_id: int) -> HttpResponse:
    council = _public_council(council_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.follows_training(user=request.user, council=council):
        return _refuse(request, _("Only the council's secretary and chair see who has completed the training."))
    is_secretary = request.user.is_superuser or councils.is_secretary(user=request.user, council=council)
    rows = selectors.member_rows(council=council)
    members = [(row.membership.user_id, row.membership.user.get_full_name() or row.membership.user.get_username())
               for row in rows]
    form = RenewalForm(initial={"renewal_months": selectors.renewal_months(council=council)}, prefix="renewal")
    completion_form = CompletionForm(members=members, prefix="completion")
    if request.method == "POST":
        if not is_secretary:
            return _refuse(request, _("Only the council's secretary can change the council's training records."))
        action = request.POST.get("action")
        if action == "renewal":
            form = RenewalForm(request.POST, prefix="renewal")
            bound: RenewalForm | CompletionForm = form
        elif action == "completion":
            completion_form = CompletionForm(request.POST, members=members, prefix="completion")
            bound = completion_form
        else:
            return HttpResponse(_("Unknown action."), status=400, content_type="text/plain; charset=utf-8")
        if bound.is_valid():
            try:
                if action == "renewal":
                    actions.set_renewal(council=council, actor=request.user,
                                        months=form.cleaned_data["renewal_months"])
                    messages.success(request, _("The renewal period was saved."))
                else:
                    data = completion_form.cleaned_data
                    person = next(row.membership.user for row in rows if row.membership.user_id == data["member"])
                    actions.completion_record(council=council, actor=request.user, user=person,
                                              module=data["module"], completed_on=data["completed_on"])
                    messages.success(request, _("The completed module was recorded."))
            except actions.TrainingError as error:
                _errors(bound, error)
            else:
                return HttpResponseRedirect(request.path)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    context = {
        "council": council.localized,
        "council_id": council.pk,
        "rows": rows,
        "count": selectors.PublicCount(completed=sum(1 for r in rows if r.complete), total=len(rows)),
        "modules": Module.choices,
        "courses": selectors.describe(courses=selectors.upcoming_courses(council=council)),
        "past_courses": selectors.describe(courses=selectors.past_courses(council=council)),
        "is_secretary": is_secretary,
        "may_create": selectors.may_create_courses(user=request.user, council=council),
        "renewal_form": form,
        "completion_form": completion_form,
        "renewal_months": selectors.renewal_months(council=council),
        "arranged": selectors.arranged_course_ids(request.user),
    }
    status = 400 if any(f.is_bound and f.errors for f in (form, completion_form)) else 200
    return _private(TemplateResponse(request, "training/council_training.html", context, status=status))


def _organisation_choices(user: User, council: CouncilPage, secretary: bool) -> list[OrganisationPage]:
    if secretary:
        keys = set(councils.current_memberships(council=council).exclude(organisation=None).values_list(
            "organisation__translation_key", flat=True))
        pages = OrganisationPage.objects.live().filter(translation_key__in=keys)
        pages = [councils.localized(p) for p in {p.translation_key: p for p in pages.order_by("pk")}.values()]
        return sorted(pages, key=lambda p: p.title)
    return selectors.organisations_on_council_led_by(user=user, council=council)


def course_new(request: HttpRequest, council_id: int) -> HttpResponse:
    council = _public_council(council_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.may_create_courses(user=request.user, council=council):
        return _refuse(request, _("Only the council's secretary or the lead of an organisation on the council can "
                                  "create courses."))
    secretary = request.user.is_superuser or councils.is_secretary(user=request.user, council=council)
    organisations = _organisation_choices(request.user, council, secretary)
    initial = {"module": Module.TWO, "county_office": True, "payer": Course.Payer.AGENCY, "travel_covered": True}
    if not secretary:
        initial = {"module": Module.ONE, "payer": Course.Payer.ORGANISATION}
    form = CourseForm(initial=initial, organisations=organisations, secretary=secretary)
    if request.method == "POST":
        form = CourseForm(request.POST, organisations=organisations, secretary=secretary)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.setdefault("county_office", False)
            try:
                course = actions.course_create(council=council, actor=request.user, **data)
            except PermissionDenied as error:
                return _refuse(request, str(error))
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("The course was created and is shown on the council's page."))
                return HttpResponseRedirect(reverse("training:course", args=[course.pk]))
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    status = 400 if form.is_bound and form.errors else 200
    return _private(TemplateResponse(request, "training/course_form.html",
                                     {"council": council.localized, "council_id": council.pk, "form": form},
                                     status=status))


def costs_export(request: HttpRequest, council_id: int) -> HttpResponse:
    council = _public_council(council_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_superuser or councils.is_secretary(user=request.user, council=council)):
        return _refuse(request, _("Only the council's secretary can export the courses' costs."))
    content, content_type, extension = exports.costs(council=council)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="kurskostnader-{council.slug}.{extension}"'
    return _private(response)

