"""Password reset (Django's views, our templates). Mounted under /accounts/ in every language.

The request form answers the same whether or not an account has the address, and the e-mail goes
only to active accounts with a usable password (Django's PasswordResetForm.get_users), at most a few
times an hour per account and per address (password_reset.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor
from .password_reset import RateLimitedPasswordResetView

urlpatterns = [
    path("two-step/", two_factor.verify, name="two_factor_verify"),
    path("two-step/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-step/account/", two_factor.account, name="two_factor_settings"),
    path(
        "password-reset/",
        RateLimitedPasswordResetView.as_view(
            template_name="registration/password_reset_form.html",
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="registration/password_reset_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
