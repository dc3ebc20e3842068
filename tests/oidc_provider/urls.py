"""The test settings' root URLconf: the provider under /fournisseur-oidc/, then Ruche's own."""

from django.contrib.auth.views import LoginView
from django.urls import include, path
from oauth2_provider import views

from ruche.urls import handler403, handler404, handler500  # noqa: F401  (Ruche's error pages)
from ruche.urls import urlpatterns as ruche_urlpatterns

LOGIN = "/fournisseur-oidc/connexion/"

provider_patterns = [
    # The provider's own sign-in page, not Ruche's (settings.LOGIN_URL).
    path("authorize/", views.AuthorizationView.as_view(login_url=LOGIN), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path(
        ".well-known/openid-configuration",
        views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", views.UserInfoView.as_view(), name="user-info"),
]

urlpatterns = [
    path("fournisseur-oidc/", include((provider_patterns, "oauth2_provider"))),
    path(
        "fournisseur-oidc/connexion/",
        LoginView.as_view(template_name="oidc_provider/login.html"),
        name="oidc_provider_login",
    ),
    *ruche_urlpatterns,
]
