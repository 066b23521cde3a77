import pytest

from haven.accounts.models import Role
from tests.chat.conftest import conversation, listener_lee  # noqa: F401 - shared fixtures
from tests.conftest import make_member


@pytest.fixture
def site_admin(guidelines):
    """An admin with the admin site: staff and superuser."""
    admin = make_member("site_admin", guidelines, role=Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return admin
