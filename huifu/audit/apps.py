from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "huifu.audit"
    label = "audit"
