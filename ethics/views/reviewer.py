"""Review tracks: reviewer views (being written)."""

urlpatterns: list = []
