"""Back office: committee (being written)."""

urlpatterns: list = []
