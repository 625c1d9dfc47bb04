"""The unified social credit code (统一社会信用代码) and its check character, GB 32100-2015.

18 characters from a 31-character alphabet (no I, O, S, V, Z): registration authority (1), organisation
type (1), administrative division (6), organisation code (9), check character (1). The check character
makes sum(value * weight) + check ≡ 0 (mod 31), so any single changed character is caught.
"""
from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class CreditCodeError(ValueError):
    """Why a code is not valid, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def check_character(first17: str) -> str:
    """The 18th character for the first 17."""
    total = sum(VALUE[ch] * w for ch, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def validate(code: str) -> str:
    """The code, upper-cased and stripped, or CreditCodeError saying what is wrong with it."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        raise CreditCodeError(f"统一社会信用代码应为18位，实为{len(code)}位。", f"must be 18 characters, got {len(code)}")
    bad = sorted({ch for ch in code if ch not in VALUE})
    if bad:
        raise CreditCodeError(
            f"统一社会信用代码含有不允许的字符：{''.join(bad)}。", f"has characters not allowed: {''.join(bad)}"
        )
    if check_character(code[:17]) != code[17]:
        raise CreditCodeError("统一社会信用代码校验位错误。", "check character is wrong")
    return code


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except CreditCodeError:
        return False
    return True


def make(authority: str, org_type: str, division: str, serial: int) -> str:
    """A valid code from its parts and a serial number (for demo data and tests).

    The organisation-code part carries its own GB 11714 check character, as real codes do.
    """
    body = f"{serial % 10**8:08d}"
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    remainder = 11 - sum(int(d) * w for d, w in zip(body, weights)) % 11
    org_check = {10: "X", 11: "0"}.get(remainder, str(remainder))
    first17 = f"{authority}{org_type}{division}{body}{org_check}"
    return first17 + check_character(first17)
