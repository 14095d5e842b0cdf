from huifu.products.testing import catalogue  # noqa: F401
