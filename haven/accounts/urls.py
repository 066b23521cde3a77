from django.contrib.auth import views as auth_views
from django.urls import path

from haven.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/suggest/", views.suggest_pseudonym, name="suggest_pseudonym"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/settings/", views.account_settings, name="settings"),
    path("accounts/profile/", views.edit_profile, name="edit_profile"),
    path("accounts/delete/", views.delete_account, name="delete"),
    path("accounts/export/", views.export_data, name="export"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("members/<str:pseudonym>/", views.profile, name="profile"),
]
