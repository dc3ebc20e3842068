"""Review tracks: staff views (being written)."""

urlpatterns: list = []
