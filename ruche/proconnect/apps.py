from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    name = "ruche.proconnect"
    label = "proconnect"
    verbose_name = "ProConnect"
