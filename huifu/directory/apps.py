from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "huifu.directory"
    label = "directory"
