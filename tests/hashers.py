from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with the lowest cost, so the suite creates members quickly. Production keeps
    Django's defaults (settings.PASSWORD_HASHERS)."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
