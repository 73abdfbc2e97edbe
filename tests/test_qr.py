"""QR codes: gongkai's mask selection gives exactly segno's codes, only faster.

`gongkai.reach.qr` replaces segno's mask evaluation (pure Python, module by module) with one
working on whole rows. A different choice would still scan, but would change the bytes of every
print page, so the choice must be segno's: compared here on a few hundred texts of every kind the
prints encode (site paths, absolute URLs, percent-encoded Chinese ids) and of many symbol sizes.
"""

from __future__ import annotations

import random
from urllib.parse import quote

import pytest
import segno
from segno import encoder

from gongkai.reach import qr


def texts() -> list[str]:
    rng = random.Random(20261126)
    out = [f"documents/{rng.randint(2019, 2026)}/{rng.choice(['xczx-xiangmu', 'shjz-dibao', 'cwgk'])}-{n:06d}.html"
           for n in range(120)]
    out += ["https://www.example.gov.cn/yongsui/" + t for t in out[:60]]
    out += [quote(f"documents/2026/{''.join(rng.choice('村务公开低保公示通知临时救助') for _ in range(rng.randint(1, 30)))}.html")
            for _ in range(60)]
    out += [f"villages/{rng.choice(['jingtou', 'mudao', 'yongsui-shequ'])}.html" for _ in range(5)]
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789/-_.%?=&:"
    out += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 320))) for _ in range(80)]
    return out


def test_mask_selection_is_installed_for_this_segno() -> None:
    assert segno.__version__ == "1.6.6", "check qr._best_mask against the new segno's evaluation"
    assert encoder.find_and_apply_best_mask is qr._best_mask


def test_codes_equal_segnos_own(monkeypatch: pytest.MonkeyPatch) -> None:
    samples = texts()
    ours = [qr.make_svg(t) for t in samples]
    monkeypatch.setattr(encoder, "find_and_apply_best_mask", qr._SEGNO_BEST_MASK)
    theirs = [qr.make_svg(t) for t in samples]
    assert [t for t, a, b in zip(samples, ours, theirs) if a != b] == []
    sizes = {segno.make_qr(t, error=qr.ERROR).version for t in samples}
    assert len(sizes) >= 8 and max(sizes) >= 7  # small and large symbols (version 7+ carry version info)


def test_penalty_scores_equal_segnos() -> None:
    """Each of N1…N4, on random symbols of several sizes, including long runs and solid blocks."""
    rng = random.Random(7)
    for width in (21, 25, 33, 45, 57, 77):
        layout = qr._layout(width)
        for density in (0.5, 0.5, 0.15, 0.85):
            matrix = tuple(bytearray(int(rng.random() < density) for _ in range(width)) for _ in range(width))
            rows = [int.from_bytes(row, "big") for row in matrix]
            assert qr._scores(rows, width, layout) == encoder.mask_scores(matrix, width, width), (width, density)
