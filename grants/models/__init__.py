from .applications import Application, Attachment
from .inbox import Notification
from .organisations import Invitation, Membership, MembershipEvent, Organisation

__all__ = [
    "Application",
    "Attachment",
    "Invitation",
    "Membership",
    "MembershipEvent",
    "Notification",
    "Organisation",
]
