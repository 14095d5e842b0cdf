from huifu.products.catalogue import CATALOGUE, FUTURES, OPTIONS, load_catalogue
from huifu.products.models import Product


def test_catalogue_as_of_2023(catalogue):
    assert len(FUTURES) == 23 and len(OPTIONS) == 8
    assert Product.objects.count() == len(CATALOGUE)
    assert catalogue["ao"].listed_on.isoformat() == "2023-06-19"
    assert catalogue["br"].listed_on.isoformat() == "2023-07-28"
    assert catalogue["ec"].exchange == "subsidiary" and catalogue["sc_o"].underlying == catalogue["sc"]
    assert {p.underlying.code for p in Product.objects.filter(kind="option")} == {
        "cu",
        "al",
        "zn",
        "au",
        "ag",
        "rb",
        "ru",
        "sc",
    }


def test_load_is_idempotent_and_keeps_staff_edits(catalogue):
    Product.objects.filter(code="cu").update(name_en="Copper (edited)")
    assert load_catalogue(Product) == 0
    assert Product.objects.get(code="cu").name_en == "Copper (edited)"


def test_fee_for(catalogue):
    from decimal import Decimal

    assert catalogue["al"].fee_for(volume=10, turnover=Decimal("999")) == Decimal("30")
    assert catalogue["cu"].fee_for(volume=10, turnover=Decimal("1000000")) == Decimal("50")
