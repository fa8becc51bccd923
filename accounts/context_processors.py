from . import roles


def role(request):
    """Expose `can.<capability>` to templates so menus show only what the user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can": {}}
    granted = roles.CAPABILITIES.get(user.role, frozenset())
    return {"can": {name: True for name in granted}}
