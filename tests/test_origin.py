"""The origin map of repair, kept as pieces, agrees with one offset per character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kzbudget_graph.reader.origin import OriginBuilder, OriginMap

# An edit script: keep a stretch of the source, or insert text pointing at an offset.
_EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("keep"), st.integers(0, 60), st.integers(0, 60)),
        st.tuples(st.just("put"), st.integers(1, 3), st.integers(0, 59)),
        st.tuples(st.just("each"), st.integers(0, 60), st.integers(0, 60)),
    ),
    max_size=25,
)


def _apply(src: str, origin: OriginMap, naive: list[int], edits) -> tuple[str, OriginMap, list]:
    out = OriginBuilder(src, origin)
    chars, offsets = [], []
    for kind, a, b in edits:
        if kind == "keep":
            a, b = sorted((a % (len(src) + 1), b % (len(src) + 1)))
            out.splice([(a, b)])
            chars.append(src[a:b])
            offsets.extend(naive[a:b])
        elif kind == "each":
            # every other character, as the letter-spacing join writes a
            # letter-spaced word: one piece per character, its origin known
            positions = list(range(*sorted((a % (len(src) + 1), b % (len(src) + 1))), 2))
            if positions:
                out.add_pieces([src[p] for p in positions], [(1, naive[p], 0) for p in positions])
                chars.append("".join(src[p] for p in positions))
                offsets.extend(naive[p] for p in positions)
        elif len(src):
            # an insertion pointing at the origin of a source character, as a rewrite makes one
            at = b % len(src)
            out.splice([(" " * a, at)])
            chars.append(" " * a)
            offsets.extend([naive[at]] * a)
    text, new = out.result()
    assert text == "".join(chars)
    return text, new, offsets


@settings(max_examples=200, deadline=None)
@given(first=_EDITS, second=_EDITS, data=st.data())
def test_pieces_agree_with_one_offset_per_character(first, second, data):
    src = "".join(chr(0x430 + i % 32) for i in range(60))
    origin, naive = OriginMap.identity(len(src)), list(range(len(src)))
    text, origin, naive = _apply(src, origin, naive, first)
    text, origin, naive = _apply(text, origin, naive, second)  # a map built on a map
    assert list(origin) == naive
    assert len(origin) == len(naive)
    if naive:
        i = data.draw(st.integers(0, len(naive) - 1))
        assert origin[i] == naive[i]
        j = data.draw(st.integers(i + 1, len(naive)))
        assert origin.bounds(i, j) == (min(naive[i:j]), max(naive[i:j]))


def test_a_clean_text_is_one_piece_and_a_moved_word_two_descents():
    src = "Құны: 419926 мың теңге"
    origin = OriginMap.identity(len(src))
    out = OriginBuilder(src, origin)
    # the value first, then the label the conversion printed after it
    out.splice([(6, len(src)), (" ", 5), (0, 5)])
    text, moved = out.result()
    assert text == "419926 мың теңге Құны:"
    assert moved.bounds(0, 6) == (6, 11)  # "419926": inside one piece
    assert moved.bounds(0, len(text)) == (0, len(src) - 1)  # across the move
    assert moved[len(text) - 1] == 4
