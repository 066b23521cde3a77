from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "haven.rooms"
    label = "rooms"
    verbose_name = "Support rooms and sharing circles"
