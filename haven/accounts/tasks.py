"""Background jobs of accounts (Django's tasks framework; see haven.jobs)."""

from django.contrib.auth.forms import PasswordResetForm
from django.tasks import task

from haven.accounts.device_signals import do_prune_device_signals
from haven.accounts.retention import do_prune_login_records
from haven.accounts.tokens import do_prune_expired_api_tokens

RESET_SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"
RESET_EMAIL_TEMPLATE = "accounts/password_reset_email.txt"


@task()
def send_password_reset(email: str, domain: str, use_https: bool) -> int:
    """Send a reset link to each active member with this recovery address (usually none or
    one). Run by the worker, so the page answers in the same time whether or not the address
    is known. Returns how many messages were sent."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return 0
    users = list(form.get_users(email))
    form.save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name=RESET_SUBJECT_TEMPLATE,
        email_template_name=RESET_EMAIL_TEMPLATE,
    )
    return len(users)


@task()
def prune_expired_api_tokens() -> int:

    return do_prune_expired_api_tokens()


@task()
def prune_device_signals() -> int:
    """Ban-evasion signals not seen for HAVEN_DEVICE_SIGNAL_DAYS, and stale login-throttling
    addresses (haven.accounts.device_signals)."""
    return do_prune_device_signals()


@task()
def prune_login_records() -> int:
    """Failed sign-in records and expired sessions older than HAVEN_LOGIN_RECORD_DAYS (daily)."""
    return do_prune_login_records()
