"""The JSON API under /api/v1/ (Django Ninja): per-user tokens, the same authorisation helpers
and actions as the web pages, errors as {"code", "message"}. See docs/api.md."""
