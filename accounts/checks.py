"""System checks of accounts settings: a mistyped role in KRUPD_REQUIRE_2FA_ROLES would
silently force no one, so `manage.py check` (run by serve-prod.sh) stops on it."""

from django.conf import settings
from django.core.checks import Error, register

from .roles import Role


@register()
def check_required_two_factor_roles(app_configs, **kwargs):
    unknown = [r for r in settings.KRUPD_REQUIRE_2FA_ROLES if r not in Role.values]
    if not unknown:
        return []
    return [
        Error(
            f"KRUPD_REQUIRE_2FA_ROLES names unknown roles: {', '.join(unknown)}",
            hint=f"Use role values, comma-separated: {', '.join(Role.values)}",
            id="accounts.E001",
        )
    ]
