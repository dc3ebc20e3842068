from .dashboard import dashboard

__all__ = ["dashboard"]
