import pytest
from django.core.exceptions import ValidationError

from huifu.directory.validators import (
    make_uscc,
    organisation_code_check,
    uscc_check_character,
    validate_member_number,
    validate_uscc,
)

# "91350100M000100Y43" is the sample code printed in explanations of GB 32100-2015 and on sample
# business licences; its check character is worked out by hand below.


def test_check_character_of_the_standard_sample():
    # 9*1 + 1*3 + 3*9 + 5*27 + 0 + 1*26 + 0*16 + 0*17 + M(21)*20 + 0 + 0 + 0 + 1*8 + 0 + 0 + Y(30)*30 + 4*28
    # = 9 + 3 + 27 + 135 + 26 + 420 + 8 + 900 + 112 = 1640; 1640 mod 31 = 28; 31 - 28 = 3
    assert uscc_check_character("91350100M000100Y4") == "3"


def test_check_character_zero_when_sum_is_a_multiple_of_31():
    assert uscc_check_character("0" * 17) == "0"  # (31 - 0) mod 31 = 0, not "31"
    # "1" (weight 1) + "U"=27 (weight 3 -> 81): 82 mod 31 = 20; 31 - 20 = 11 -> "B"
    assert uscc_check_character("1U" + "0" * 15) == "B"


def test_organisation_code_check_follows_gb_11714():
    # M000100Y: 22*3 + 0 + 0 + 0 + 1*5 + 0 + 0 + 34*2 = 139; 139 mod 11 = 7; 11 - 7 = 4
    assert organisation_code_check("M000100Y") == "4"
    assert organisation_code_check("00000000") == "0"  # 11 - 0 = 11 -> "0"


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",
        make_uscc(org_body="13221020"),
        make_uscc(registration="12", division="110000", org_body="40000059"),
        "91350100m000100y43",
        " 91350100M000100Y43 ",
    ],
)
def test_valid_codes_pass(code):
    validate_uscc(code)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y44", "uscc_checksum"),
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100Y433", "uscc_length"),
        ("91350100M000100I43", "uscc_characters"),  # I is not in the alphabet
        ("9135010AM000100Y43", "uscc_characters"),  # characters 3-8 are the division code: digits
        ("", "uscc_length"),
    ],
)
def test_invalid_codes_are_refused_with_a_reason(code, error):
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    assert info.value.code == error


def test_make_uscc_builds_codes_whose_check_character_validates():
    code = make_uscc(division="440300", org_body="MA5F1111")
    assert len(code) == 18 and code.startswith("91440300")
    assert uscc_check_character(code[:17]) == code[17]


@pytest.mark.parametrize("number", ["0101", "12345678"])
def test_member_numbers(number):
    validate_member_number(number)


@pytest.mark.parametrize("number", ["101", "123456789", "01a1", "", "01 01"])
def test_bad_member_numbers(number):
    with pytest.raises(ValidationError):
        validate_member_number(number)
