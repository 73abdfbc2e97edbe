"""`shard_format.decode_postings` is the exact inverse of `encode_postings` (its varints are read
inline for speed: every width, every field, the caps), and truncated bytes are an error."""

from __future__ import annotations

import random

import pytest

from gongkai.search.shard_format import (
    MAX_LENGTH,
    MAX_TF,
    code_base,
    decode_postings,
    encode_postings,
)

MAX_REF = (1 << 21) - 1


def random_codes(rng: random.Random, body: int) -> list[int]:
    refs = sorted(rng.sample(range(rng.choice([300, MAX_REF])), rng.randint(0, 60)))
    codes = []
    for ref in refs:
        for field in sorted(rng.sample(range(8), rng.randint(1, 3))):
            length = 0 if field == body else rng.choice([0, 1, 127, 128, 16383, 16384, MAX_LENGTH])
            codes.append(code_base(ref, field, length) + rng.choice([1, 2, 127, 128, MAX_TF]))
    return codes


@pytest.mark.parametrize("seed", range(4))
def test_decode_is_the_inverse_of_encode(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        body = rng.randrange(8)
        codes = random_codes(rng, body)
        start = rng.choice([0, codes[0] >> 33]) if codes else 0
        data = encode_postings(codes, body, start)
        assert decode_postings(data, body, start) == codes


def test_truncated_postings_are_an_error() -> None:
    codes = [code_base(5, 1, 300) + 200, code_base(70000, 0, 0) + 1]
    data = encode_postings(codes, 0)
    assert decode_postings(data, 0) == codes
    for cut in range(1, len(data)):
        if cut == 5:  # the whole first posting (5 bytes): a shorter, valid list
            continue
        with pytest.raises(IndexError):
            decode_postings(data[:cut], 0)
