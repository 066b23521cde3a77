from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "haven.chat"
    label = "chat"
    verbose_name = "Listener chat"

    def ready(self) -> None:
        from haven.accounts.erasure import register_eraser
        from haven.chat.actions import do_erase_chats_of

        # A deleted member's chats end (freeing the listener) and, if asked, their words go.
        register_eraser(do_erase_chats_of)
