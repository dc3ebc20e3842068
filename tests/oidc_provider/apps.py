from django.apps import AppConfig


class OIDCProviderConfig(AppConfig):
    name = "tests.oidc_provider"
    label = "oidc_provider"
    verbose_name = "Test OpenID Connect provider"
