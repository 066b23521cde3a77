from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule

from haven.core import checks  # noqa: F401  registers Haven's deployment checks


class CoreConfig(AppConfig):
    name = "haven.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        connect_app_wiring()


def connect_app_wiring() -> None:
    """Each app's `wiring.py` plugs it into the registries and signals of the apps below it.
    Found like the admin's modules, once every app's models have loaded (ready() runs only then),
    in INSTALLED_APPS order."""

    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "wiring"):
            import_module(f"{app_config.name}.wiring").connect()
