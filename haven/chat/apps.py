from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "haven.chat"
    label = "chat"
    verbose_name = "Listener chat"

    def ready(self) -> None:
        from haven.accounts.erasure import register_eraser
        from haven.accounts.export import register_export_part
        from haven.accounts.signals import access_revoked
        from haven.chat.actions import (
            do_erase_chats_of,
            end_chats_on_sanction,
            match_when_listener_arrives,
            take_back_offers_on_leaving,
        )
        from haven.chat.export import chat_requests_export, chats_export
        from haven.notifications.presence import member_came_online, member_went_offline

        # A deleted member's chats end (freeing the listener) and, if asked, their words go.
        register_eraser(do_erase_chats_of)
        # So do a suspended or banned member's: nobody is left waiting on them.
        access_revoked.connect(end_chats_on_sanction, dispatch_uid="chat.end_chats_on_sanction")
        # A member's data export holds the chats they were in and the requests they made.
        register_export_part("chats", chats_export)
        register_export_part("chat_requests", chat_requests_export)
        # Presence: a listener who opens Haven can be matched at once; one who leaves has
        # their offers passed to the next listener.
        member_came_online.connect(match_when_listener_arrives, dispatch_uid="chat.arrives")
        member_went_offline.connect(take_back_offers_on_leaving, dispatch_uid="chat.leaves")
