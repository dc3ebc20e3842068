"""Back office: backoffice (being written)."""

urlpatterns: list = []
