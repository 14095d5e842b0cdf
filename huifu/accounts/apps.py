from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "huifu.accounts"
    label = "accounts"
