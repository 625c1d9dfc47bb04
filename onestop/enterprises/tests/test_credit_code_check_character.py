"""The unified social credit code's check character (GB 32100-2015) against published codes and properties."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onestop.enterprises.creditcode import ALPHABET, CreditCodeError, check_character, is_valid, make, validate

# Codes of real registered organisations as published (business licences, public registers, and quoted in
# public repositories' tests); the first two were given in the issue.
PUBLISHED = {
    "91350100M000100Y43": "福州 organisation (given in the issue)",
    "91110000600037341L": "北京 enterprise (given in the issue)",
    "91370200163562681G": "海尔集团公司 (青岛)",
    "914403001922038216": "华为技术有限公司",
    "9144030071526726XG": "深圳市腾讯计算机系统有限公司",
    "91110108551385082Q": "小米科技有限责任公司",
    "91440300708461136T": "深圳 enterprise (quoted as a real registered code)",
    "91512081MA62K0260E": "四川 enterprise (quoted as a valid code)",
}

code_body = st.text(alphabet=ALPHABET, min_size=17, max_size=17)
valid_code = code_body.map(lambda body: body + check_character(body))


@pytest.mark.parametrize("code", sorted(PUBLISHED))
def test_published_codes_are_valid(code):
    assert validate(code) == code


def test_lower_case_and_spaces_are_normalised():
    assert validate("  91370200163562681g ") == "91370200163562681G"


@pytest.mark.parametrize(("code", "words"), [
    ("91370200163562681", "18"),  # too short
    ("91370200163562681GG", "18"),  # too long
    ("9137O200163562681G", "O"),  # letter O is not in the alphabet
    ("91370200163562681I", "I"),
    ("91370200163562681H", "check character"),
])
def test_wrong_codes_say_why_in_both_languages(code, words):
    with pytest.raises(CreditCodeError) as caught:
        validate(code)
    assert words in caught.value.en or words in caught.value.zh
    assert caught.value.zh and caught.value.en


@given(valid_code)
def test_generated_valid_codes_pass(code):
    assert is_valid(code)


@given(st.integers(min_value=0, max_value=10**8 - 1), st.sampled_from(["370211", "110108", "440300"]))
def test_demo_codes_made_from_parts_pass(serial, division):
    assert is_valid(make("9", "1", division, serial))


@given(valid_code, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_any_single_changed_character_is_caught(code, position, replacement):
    if code[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
    changed = code[:position] + replacement + code[position + 1:]
    assert not is_valid(changed), f"{code} → {changed} was not caught"


@given(valid_code, st.integers(min_value=0, max_value=17), st.sampled_from("IOSVZ*-"))
def test_a_character_outside_the_alphabet_is_refused(code, position, replacement):
    assert not is_valid(code[:position] + replacement + code[position + 1:])
