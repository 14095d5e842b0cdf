from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "huifu.files"
    label = "files"
