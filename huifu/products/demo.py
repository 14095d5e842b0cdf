"""Demo data for products: the 2023 catalogue (also loaded by migration 0002). Idempotent."""

from __future__ import annotations

from typing import IO

from .catalogue import load_catalogue
from .models import Product


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:
    created = load_catalogue(Product)
    if stdout is not None:
        stdout.write(f"products: {created} created, {Product.objects.count()} in total\n")
