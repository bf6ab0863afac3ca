"""The local Studio: one offline page to see workflows, preview steps with edited controls, trigger runs
and watch them, and read what subscribers received. See ``docs/STUDIO.md``."""

from __future__ import annotations

from novu_framework.studio.app import Studio, studio_app
from novu_framework.studio.compose import mount_studio
from novu_framework.studio.security import StudioRemoteError, check_bind, is_loopback

__all__ = ["Studio", "StudioRemoteError", "check_bind", "is_loopback", "mount_studio", "studio_app"]
