from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "huifu.products"
    label = "products"
