from django.contrib.auth import views as auth_views
from django.urls import path

from haven.accounts import preferences_views, views

app_name = "accounts"
urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/suggest/", views.suggest_pseudonym, name="suggest_pseudonym"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/password/forgot/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/forgot/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/tokens/<int:token_id>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/settings/", views.account_settings, name="settings"),
    path("accounts/appearance/", views.choose_theme, name="theme"),
    path("language/", views.choose_language, name="language"),
    path("accounts/profile/", views.edit_profile, name="edit_profile"),
    path("accounts/delete/", views.delete_account, name="delete"),
    path("accounts/export/", views.export_data, name="export"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("members/<str:pseudonym>/", views.profile, name="profile"),
    path("accounts/filters/", preferences_views.filters, name="filters"),
    path("members/<str:pseudonym>/block/", preferences_views.block_member, name="block"),
    path("members/<str:pseudonym>/unblock/", preferences_views.unblock_member, name="unblock"),
]
