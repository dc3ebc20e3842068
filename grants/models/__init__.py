from .applications import Application, Attachment
from .inbox import Notification
from .organisations import Invitation, Membership, MembershipEvent, Organisation
from .thread import Message, MessageFile, ThreadRead

__all__ = [
    "Application",
    "Attachment",
    "Invitation",
    "Membership",
    "MembershipEvent",
    "Message",
    "MessageFile",
    "Notification",
    "Organisation",
    "ThreadRead",
]
