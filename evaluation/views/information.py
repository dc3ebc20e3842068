"""Back office: information (being written)."""

urlpatterns: list = []
