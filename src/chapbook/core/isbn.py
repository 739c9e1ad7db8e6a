"""ISBNs and the price add-on printed beside their barcode.

An ISBN is written as ISBN-13 (978- or 979-) or ISBN-10, with or without hyphens or
spaces; its barcode is the EAN-13 of its ISBN-13 form. The price add-on is an EAN-5 code:
a currency digit, then the price in hundredths (the Bookland convention: USD 14.99 is
51499; 90000 means no suggested price).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SEPARATORS = re.compile(r"[\s\-]")
# The add-on's first digit for each currency, as the ISBN agencies use it (EAN-5 "price
# codes": 0 and 1 pound sterling, 3 Australian, 4 New Zealand, 5 US, 6 Canadian dollars).
PRICE_CURRENCIES = {"GBP": "0", "AUD": "3", "NZD": "4", "USD": "5", "CAD": "6"}
NO_PRICE = "90000"


def isbn13(text: str) -> str:
    """The 13 digits of an ISBN-10 or ISBN-13; ValueError saying what is wrong."""
    compact = _SEPARATORS.sub("", text).upper()
    if re.fullmatch(r"\d{9}[\dX]", compact):
        if isbn10_check_digit(compact[:9]) != compact[9]:
            raise ValueError(f"'{text}' is not an ISBN: its check digit should be "
                             f"{isbn10_check_digit(compact[:9])}, not {compact[9]}")
        body = "978" + compact[:9]
        return body + ean_check_digit(body)
    if not re.fullmatch(r"\d{13}", compact):
        raise ValueError(f"'{text}' is not an ISBN: an ISBN has 13 digits (or 10), "
                         "with hyphens or not")
    if compact[:3] not in ("978", "979"):
        raise ValueError(f"'{text}' is not an ISBN: an ISBN-13 starts with 978 or 979")
    if ean_check_digit(compact[:12]) != compact[12]:
        raise ValueError(f"'{text}' is not an ISBN: its check digit should be "
                         f"{ean_check_digit(compact[:12])}, not {compact[12]}")
    return compact


def ean_check_digit(first12: str) -> str:
    """The EAN-13 check digit: weights 1 and 3 alternating from the left."""
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(first12))
    return str(-total % 10)


def isbn10_check_digit(first9: str) -> str:
    """The ISBN-10 check digit (mod 11; 10 is written X)."""
    total = sum(int(digit) * weight for digit, weight in zip(first9, range(10, 1, -1),
                                                                strict=True))
    check = -total % 11
    return "X" if check == 10 else str(check)


def hyphenless(text: str) -> str:
    return _SEPARATORS.sub("", text)


def price_code(price: str) -> str:
    """'USD 14.99' as its add-on code '51499'; ValueError for an unknown currency or a
    price the five digits cannot hold (99.99 at most)."""
    parts = price.split()
    if len(parts) != 2 or parts[0].upper() not in PRICE_CURRENCIES:
        raise ValueError(f"'{price}' is not a price such as 'USD 14.99': the currency is one "
                         f"of {', '.join(PRICE_CURRENCIES)}")
    try:
        amount = Decimal(parts[1])
    except InvalidOperation:
        raise ValueError(f"'{price}': '{parts[1]}' is not an amount such as 14.99") from None
    hundredths = amount * 100
    if hundredths != hundredths.to_integral_value() or not 0 <= hundredths <= 9999:
        raise ValueError(f"'{price}': the add-on holds a price from 0.00 to 99.99, "
                         "to the cent")
    return PRICE_CURRENCIES[parts[0].upper()] + f"{int(hundredths):04d}"


def addon_code(code: str) -> str:
    """A raw add-on: five digits; ValueError otherwise."""
    if not re.fullmatch(r"\d{5}", code.strip()):
        raise ValueError(f"'{code}' is not an add-on code: five digits, such as 51499")
    return code.strip()
