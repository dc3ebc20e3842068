from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from .provider import ProConnectProvider

urlpatterns = default_urlpatterns(ProConnectProvider)
