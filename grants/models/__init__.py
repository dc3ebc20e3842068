from .applications import Application, Attachment
from .inbox import Notification
from .organisations import Invitation, Membership, Organisation

__all__ = ["Application", "Attachment", "Invitation", "Membership", "Notification", "Organisation"]
