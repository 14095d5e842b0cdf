from huifu.files.tests.conftest import pdf_upload  # noqa: F401
