"""Detect unmasked personal numbers in text meant for publication.

Beneficiary lists (低保, 救助, subsidies) are published with names but never full resident
ID numbers, mobile numbers or bank card numbers (Regulations Art. 15, 社会救助暂行办法 Art. 61,
PIPL Arts. 25/28/34; see DOMAIN.md section 5).  This module finds such numbers so a build can
refuse to publish them, and proposes the masked form that may be published instead.

The scanner is deliberately conservative about *what counts as a number*: a candidate must
stand alone (it is never a slice of a longer digit run or a decimal), IDs must carry a valid
GB 11643 check digit, a real province code and a plausible birth date, and bank cards must pass
Luhn.  That keeps 文号, 索引号, 统一社会信用代码, amounts, dates, landlines and division codes
quiet, which matters because a checker that cries wolf gets switched off.

The module is pure: no I/O, no knowledge of the rest of the application.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["CANDIDATE", "KIND_BANK_CARD", "KIND_ID", "KIND_MOBILE", "MIN_DIGITS", "DayWindow", "PrivacyFinding", "scan_text", "scan_text_window"]

KIND_ID = "身份证号"
KIND_MOBILE = "手机号"
KIND_BANK_CARD = "银行卡号"


@dataclass(frozen=True)
class PrivacyFinding:
    """One unmasked personal number found in a text.

    ``line`` and ``col`` are 1-based (characters, lines split on ``\\n``) so an editor or an
    error message can point at the exact spot; ``found`` is the original text there and
    ``masked`` the replacement that may be published.
    """

    line: int
    col: int
    kind: str
    found: str
    masked: str


# Full-width digits, letters X/x, spaces and hyphens are common in Chinese documents typed with
# an IME.  They are mapped one-to-one to ASCII before matching, so offsets stay valid and
# ``found`` can still be sliced from the original line.
_NORMALISE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "Ｘ": "X",
        "ｘ": "x",
        "\u3000": " ",
        "\u00a0": " ",
        "－": "-",
        "＋": "+",
        "＊": "*",
        "．": ".",
    }
)
_TO_NORMALISE = re.compile("[" + re.escape("".join(map(chr, _NORMALISE))) + "]")  # a line without any is left as it is

# Boundaries shared by all patterns: never start or end inside a longer digit run, and never
# touch a decimal point followed/preceded by a digit (so 13800138000.50 is an amount).
_BEFORE = r"(?<![0-9])(?<![0-9]\.)"
_AFTER = r"(?![0-9])(?!\.[0-9])"

_ID_RE = re.compile(
    _BEFORE
    + r"(?:[0-9]{17}[0-9Xx]|[0-9]{6} [0-9]{8} [0-9]{3}[0-9Xx])"
    + r"(?![0-9A-Za-z])(?!\.[0-9])"
)

_NOT_AMOUNT = r"(?![ ]?(?:元(?!旦)|万元))"  # 元旦 is a holiday, not a currency

_MOBILE_RE = re.compile(
    r"(?:(?P<prefix>\+86[ -]?|(?<![0-9])0086[ -]?)|(?<![0-9¥￥])(?<![0-9]\.))"
    + r"(?P<number>1[3-9][0-9](?:[0-9]{8}|(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}))"
    + _AFTER
    + _NOT_AMOUNT
)

_CARD_RE = re.compile(
    r"(?<![0-9A-Za-z/¥￥])(?<![0-9]\.)"
    + r"(?:[0-9]{16,19}|[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{4}(?:\1[0-9]{1,3})?)"
    + r"(?![0-9A-Za-z])(?!\.[0-9])(?!/[0-9])"
    + _NOT_AMOUNT
)

# Every finding holds at least 11 digits (a mobile number; IDs have 18, cards 16 to 19), each pair
# separated by at most one space or hyphen (ASCII or full-width, before normalising): lines
# without such a run are skipped unscanned, and so is a text with fewer digits in all.
MIN_DIGITS = 11
CANDIDATE = re.compile(r"[0-9\uff10-\uff19](?:[ \-\u3000\u00a0\uff0d]?[0-9\uff10-\uff19]){" + str(MIN_DIGITS - 1) + "}")

# GB 11643-1999: weights for the 17 body digits, and the check character per remainder.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# First two digits of the administrative division code (province level, GB/T 2260), plus
# 83 used by residence permits for Taiwan residents.
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)


def id_check_char(body17: str) -> str:
    """Return the GB 11643 check character for 17 body digits (exposed for tests/tools)."""
    total = sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


@dataclass
class DayWindow:
    """The days on which a scan gives the same findings: ``first <= day < end``.

    Only one check depends on the date: a resident ID's birth date may not lie in the future.
    A number accepted as an ID stays accepted from its birth date on; one rejected only for a
    future birth date turns into a finding on that date. A cached scan result (see
    ``rules/personal_data.py``) is reused only inside its window.
    """

    first: date = date.min
    end: date = date.max

    def note(self, born: date, accepted: bool) -> None:
        if accepted:
            self.first = max(self.first, born)
        else:
            self.end = min(self.end, born)

    def holds(self, day: date) -> bool:
        return self.first <= day < self.end

    def narrow(self, other: DayWindow) -> None:
        self.first, self.end = max(self.first, other.first), min(self.end, other.end)


def _is_resident_id(digits: str, today: date, window: DayWindow | None = None) -> bool:
    """True when ``digits`` (18 chars) is checksum-valid with a real province and birth date.

    The province and date checks exist to silence random 18-digit strings whose check digit
    happens to match (about 1 in 11). The date is compared with ``today`` last, so ``window``
    only records the numbers whose fate the date alone decides.
    """
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    if int(digits[:2]) not in _PROVINCES:
        return False
    try:
        born = date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or id_check_char(digits[:17]) != digits[17].upper():
        return False
    accepted = born <= today
    if window is not None:
        window.note(born, accepted)
    return accepted


def _luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check used by UnionPay and other card schemes."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _mask(found: str, keep_first: int, keep_last: int) -> str:
    """Replace the middle digits of ``found`` with ``*``, keeping separators in place.

    Keeping the grouping (``6222 **** **** 1234``) lets a reader still recognise the kind of
    number while nothing identifying remains.
    """
    positions = [i for i, c in enumerate(found) if c.isdigit() or c in "Xx"]
    hide = set(positions[keep_first : len(positions) - keep_last])
    return "".join("*" if i in hide else c for i, c in enumerate(found))


def _scan_line(line: str, today: date, window: DayWindow | None = None) -> list[tuple[int, str, str, str]]:
    """Findings in one line as ``(0-based col, kind, found, masked)``, in column order."""
    if not CANDIDATE.search(line):
        return []
    norm = line.translate(_NORMALISE) if _TO_NORMALISE.search(line) else line  # translate: a dict look-up per character
    taken: list[tuple[int, int]] = []
    results: list[tuple[int, str, str, str]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(start: int, end: int, kind: str, masked_norm: str) -> None:
        taken.append((start, end))
        original = line[start:end]
        # Re-apply the mask onto the original characters (full-width digits stay full-width).
        masked = "".join(m if m == "*" else o for o, m in zip(original, masked_norm))
        results.append((start, kind, original, masked))

    for m in _ID_RE.finditer(norm):
        digits = m.group().replace(" ", "")
        if _is_resident_id(digits, today, window):
            add(m.start(), m.end(), KIND_ID, _mask(m.group(), 4, 4))

    for m in _CARD_RE.finditer(norm):
        digits = re.sub(r"[ -]", "", m.group())
        if not free(m.start(), m.end()) or _is_resident_id(digits, today, window):
            continue
        if _luhn_ok(digits):
            add(m.start(), m.end(), KIND_BANK_CARD, _mask(m.group(), 4, 4))

    for m in _MOBILE_RE.finditer(norm):
        if not free(m.start(), m.end()):
            continue
        prefix = m.group("prefix") or ""
        masked = prefix + _mask(m.group("number"), 3, 4)
        add(m.start(), m.end(), KIND_MOBILE, masked)

    results.sort()
    return results


def scan_text(text: str, today: date) -> list[PrivacyFinding]:
    """Return every unmasked resident ID, mobile number and bank card number in ``text``.

    Findings are ordered by position.  Already masked forms (``4503**********1234``,
    ``138****5678``, ``6222 **** **** 1234``) are not reported.  Never raises on any string.
    An ID number is one only from its birth date on: ``today`` is the build's day (``--today``).
    """
    return scan_text_window(text, today)[0]


def scan_text_window(text: str, today: date) -> tuple[list[PrivacyFinding], DayWindow]:
    """``scan_text``, and the days on which it gives the same findings (see ``DayWindow``)."""
    window = DayWindow()
    if not isinstance(text, str) or not text:
        return [], window
    findings: list[PrivacyFinding] = []
    for lineno, raw in enumerate(text.split("\n"), start=1):
        for col, kind, found, masked in _scan_line(raw, today, window):
            findings.append(PrivacyFinding(lineno, col + 1, kind, found, masked))
    return findings, window
