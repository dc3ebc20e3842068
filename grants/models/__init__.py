from .applications import Application, Attachment
from .organisations import Invitation, Membership, Organisation

__all__ = ["Application", "Attachment", "Invitation", "Membership", "Organisation"]
