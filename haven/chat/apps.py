from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "haven.chat"
    label = "chat"
    verbose_name = "Listener chat"

    def ready(self) -> None:
        from haven.accounts.erasure import register_eraser
        from haven.accounts.signals import access_revoked
        from haven.chat.actions import do_erase_chats_of, end_chats_on_sanction

        # A deleted member's chats end (freeing the listener) and, if asked, their words go.
        register_eraser(do_erase_chats_of)
        # So do a suspended or banned member's: nobody is left waiting on them.
        access_revoked.connect(end_chats_on_sanction, dispatch_uid="chat.end_chats_on_sanction")
