"""The origin map of repair: for each character of a repaired text, the offset
of the original character it came from.

It is kept as *pieces*, not one number per character: a piece is a stretch of
the text whose offsets rise by a fixed step — 1 where it was copied, 0 where a
repair inserted it (every character points at one offset), 2 where the
letters of a letter-spaced word were joined (``Қ а з а қ`` → ``Қазақ``).
Building, copying and querying the map then costs time per edit, not per
character of the document — a clean text is one piece whatever its size.
:class:`OriginBuilder` writes a new text and its map from an old one;
:meth:`OriginMap.bounds` answers the question values ask (the smallest and
largest offset behind a stretch of text).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator

__all__ = ["OriginBuilder", "OriginMap"]


class OriginMap:
    """Per character of a text, the offset in the original it came from.

    Behaves as a read-only sequence of ints (``len``, ``[i]``, iteration).
    """

    __slots__ = ("_bases", "_descents", "_starts", "_steps", "length")

    def __init__(
        self,
        starts: list[int],
        bases: list[int],
        steps: list[int],
        descents: list[int],
        length: int,
    ) -> None:
        self._starts = starts  # where each piece starts in the text
        self._bases = bases  # the origin of its first character
        self._steps = steps  # how much the origin rises per character (>= 0)
        self._descents = descents  # pieces whose first origin is below the previous one's last
        self.length = length

    @classmethod
    def identity(cls, length: int) -> OriginMap:
        """The map of an unrepaired text: character ``i`` comes from offset ``i``."""
        if not length:
            return cls([], [], [], [], 0)
        return cls([0], [0], [1], [], length)

    @classmethod
    def joined(cls, parts: list[tuple[int, OriginMap]]) -> OriginMap:
        """The map of texts written one after the other, each part's origins
        shifted by its offset (a text repaired region by region)."""
        out = OriginBuilder("", cls.identity(0))
        for offset, part in parts:
            ends = [*part._starts[1:], part.length]
            out.add_pieces(
                [],
                [
                    (end - start, base + offset, step)
                    for start, end, base, step in zip(
                        part._starts, ends, part._bases, part._steps, strict=True
                    )
                ],
            )
        return out.result()[1]

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> int:
        if i < 0:
            i += self.length
        if not 0 <= i < self.length:
            raise IndexError("origin index out of range")
        k = bisect_right(self._starts, i) - 1
        return self._bases[k] + self._steps[k] * (i - self._starts[k])

    def __iter__(self) -> Iterator[int]:
        ends = [*self._starts[1:], self.length] if self._starts else []
        for start, end, base, step in zip(
            self._starts, ends, self._bases, self._steps, strict=True
        ):
            if step:
                yield from range(base, base + step * (end - start), step)
            else:
                yield from [base] * (end - start)

    def rising(self, start: int, end: int) -> bool:
        """Whether the origins of the characters ``[start, end)`` never fall
        (``start < end``): then the first and the last hold the extremes of
        any characters in between."""
        starts, descents = self._starts, self._descents
        k0 = bisect_right(starts, start) - 1
        k1 = bisect_right(starts, end - 1, max(k0, 0)) - 1
        d = bisect_right(descents, k0)
        return d == len(descents) or descents[d] > k1

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """Smallest and largest origin of the characters ``[start, end)`` (``start < end``)."""
        starts, bases, steps = self._starts, self._bases, self._steps
        k0 = bisect_right(starts, start) - 1
        k1 = bisect_right(starts, end - 1, max(k0, 0)) - 1
        first = bases[k0] + steps[k0] * (start - starts[k0])
        last = bases[k1] + steps[k1] * (end - 1 - starts[k1])
        if k0 == k1:  # one piece (most values): it rises, no descent inside
            return first, last
        # Every piece is non-decreasing: without a descent between them, the
        # first and the last character hold the extremes.
        d = bisect_right(self._descents, k0)
        if d == len(self._descents) or self._descents[d] > k1:
            return first, last
        # Between two descents the origins never fall: each such run of pieces
        # has its extremes at its ends, so only the descents are visited.
        descents = self._descents[d : bisect_right(self._descents, k1)]
        low, high = first, last
        for k in descents:  # a run ends right before piece k, the next starts with it
            j = k - 1
            high = max(high, bases[j] + steps[j] * (starts[k] - 1 - starts[j]))
            low = min(low, bases[k])
        return low, high


class OriginBuilder:
    """Writes a new text piece by piece from ``src``, carrying origins along."""

    __slots__ = ("_bases", "_chars", "_descents", "_starts", "_steps", "length", "src", "src_map")

    def __init__(self, src: str, src_map: OriginMap) -> None:
        self.src, self.src_map = src, src_map
        self._chars: list[str] = []
        self._starts: list[int] = []
        self._bases: list[int] = []
        self._steps: list[int] = []
        self._descents: list[int] = []
        self.length = 0

    def splice(self, parts: Iterable[tuple[int, int] | tuple[str, int]]) -> None:
        """Write ``parts`` in order, each a copy ``(start, end)`` of
        ``src[start:end]`` with its origins, or an insertion ``(text, at)`` of
        ``text`` whose characters all point at the origin of ``src[at]``.

        A rewrite hands over all its parts at once: one loop here, not a
        method call (and a search of the map for an inserted character's
        origin) per part.
        """
        m = self.src_map
        src, src_length = self.src, m.length
        src_starts, src_bases, src_steps, src_descents = m._starts, m._bases, m._steps, m._descents
        last_piece = len(src_starts) - 1
        chars, starts, bases, steps = self._chars, self._starts, self._bases, self._steps
        descents = self._descents
        length = self.length
        for start, end in parts:
            if isinstance(start, str):  # an insertion: (text, at)
                if not start:
                    continue
                chars.append(start)
                k = bisect_right(src_starts, end) - 1
                n, base, step = len(start), src_bases[k] + src_steps[k] * (end - src_starts[k]), 0
                after = end  # (one piece)
            else:
                if end <= start:
                    continue
                chars.append(src[start:end])
                k = bisect_right(src_starts, start) - 1
                after = src_starts[k + 1] if k < last_piece else src_length
                step = src_steps[k]
                base = src_bases[k] + step * (start - src_starts[k])
                n = min(end, after) - start
            # the (first) piece (n, base, step), as add_pieces writes one
            continued = False
            if starts:
                k_step = steps[-1]
                k_length = length - starts[-1]
                k_last = bases[-1] + k_step * (k_length - 1)
                if k_length == 1:
                    if base >= k_last and (n == 1 or step == base - k_last):
                        steps[-1] = base - k_last  # a one-character piece takes any step
                        continued = True
                elif base == k_last + k_step and (n == 1 or step == k_step):
                    continued = True
                if not continued and base < k_last:
                    descents.append(len(starts))
            if not continued:
                starts.append(length)
                bases.append(base)
                steps.append(step)
            length += n
            if end > after:  # a copy over more pieces (most lie in one: no second search)
                delta = length - after  # src offset → offset in the new text
                last = bisect_right(src_starts, end - 1, k) - 1  # the piece of its last character
                # The whole pieces after the first are copied as they are: they
                # cannot continue the one before them (the source map would have
                # merged them), and their descents are the source's.
                shift = len(starts) - (k + 1)
                # (a comprehension: map(delta.__add__, ...) calls a method wrapper
                # per piece, half again the instructions; a rewrite copies every
                # piece it does not touch, and before its first edit they keep
                # their offsets)
                whole = src_starts[k + 1 : last + 1]
                starts.extend([s + delta for s in whole] if delta else whole)
                bases.extend(src_bases[k + 1 : last + 1])
                steps.extend(src_steps[k + 1 : last + 1])
                if src_descents:  # (none before labels are moved: no search)
                    lo, hi = bisect_right(src_descents, k), bisect_right(src_descents, last)
                    descents.extend([d + shift for d in src_descents[lo:hi]])
                length = end + delta
        self.length = length

    def add_pieces(self, texts: list[str], pieces: list[tuple[int, int, int]]) -> None:
        """Append ``texts``, whose characters' origins are ``pieces`` in order,
        each ``(length, first origin, step)``, in one loop (a writer that knows
        its origins calls no method per piece). A piece that continues the last
        one extends it; a one-character piece takes any step ("Қ а з" → "Қаз"
        is one piece)."""
        self._chars.extend(texts)
        starts, bases, steps, descents = self._starts, self._bases, self._steps, self._descents
        length = self.length
        for n, base, step in pieces:
            if starts:
                k_step = steps[-1]
                k_length = length - starts[-1]
                k_last = bases[-1] + k_step * (k_length - 1)
                if k_length == 1:
                    if base >= k_last and (n == 1 or step == base - k_last):
                        steps[-1] = base - k_last
                        length += n
                        continue
                elif base == k_last + k_step and (n == 1 or step == k_step):
                    length += n
                    continue
                if base < k_last:
                    descents.append(len(starts))
            starts.append(length)
            bases.append(base)
            steps.append(step)
            length += n
        self.length = length

    def result(self) -> tuple[str, OriginMap]:
        text = "".join(self._chars)
        return text, OriginMap(self._starts, self._bases, self._steps, self._descents, self.length)
