"""Delivery of channel steps: the provider interface, the console provider and SMTP email."""

from __future__ import annotations

from novu_framework.runtime.delivery.base import DeliveryError, Message, Provider
from novu_framework.runtime.delivery.console import ConsoleProvider
from novu_framework.runtime.delivery.smtp import SmtpEmailProvider, SmtpSettings

__all__ = ["ConsoleProvider", "DeliveryError", "Message", "Provider", "SmtpEmailProvider", "SmtpSettings"]
