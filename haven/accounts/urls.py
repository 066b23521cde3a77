from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from haven.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/suggest/", views.suggest_pseudonym, name="suggest_pseudonym"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/forgot/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/forgot/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:login"),
            post_reset_login=False,
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:settings"),
        ),
        name="password_change",
    ),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/settings/", views.account_settings, name="settings"),
    path("accounts/profile/", views.edit_profile, name="edit_profile"),
    path("accounts/delete/", views.delete_account, name="delete"),
    path("accounts/export/", views.export_data, name="export"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("members/<str:pseudonym>/", views.profile, name="profile"),
]
