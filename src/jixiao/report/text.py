"""Text helpers for the report's prose: folding with an offset map, sentences, clauses,
and the name similarity used to tie a phrase to a table row or an indicator."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..model import fold

# Chinese commas, semicolons and colons are kept as written: NFKC would turn them into
# ASCII ones, and an ASCII comma between digits is a thousands separator ("1,385.51").
_KEEP = set("，；：（）")
SENTENCE_END = "。！？!?\n"
CLAUSE_END = SENTENCE_END + "，,；;"
# Where a figure's subject phrase starts: after any of these, or after the previous figure.
SUBJECT_BOUNDARY = CLAUSE_END + "：:"


class Folded(NamedTuple):
    """A text folded for parsing (half-width digits and signs, no spaces) with, for each
    folded character, the offset of the original character it came from.

    A named tuple, its offsets a tuple: thousands of these live in fold_text's cache, and a
    tuple of strings and numbers is one the cyclic garbage collector stops walking (and one
    made faster than a frozen dataclass)."""

    text: str
    origin: tuple[int, ...]
    source: str

    def original(self, start: int, end: int) -> str:
        """The original text behind folded[start:end]."""
        if start >= end:
            return ""
        return self.source[self.origin[start] : self.origin[end - 1] + 1]


@lru_cache(maxsize=4096)
def fold_text(source: str) -> Folded:
    # Cached: a web save re-checks the same report sentences on every keystroke round trip.
    # Callers treat the result as read-only.
    chars = set(source)
    for ch in chars.difference(_PIECES):
        _learn(ch)
    uneven = _UNEVEN.intersection(chars)  # spaces are among them: each folds to nothing
    if not uneven:  # most sentences: at most one translate, and offsets that are the identity
        text = source if _CHANGED.isdisjoint(chars) else source.translate(_TABLE)
        return Folded(text, tuple(range(len(source))), source)
    if all(ch.isspace() for ch in uneven):
        return _fold_spaced(source)
    return _fold_each(source)


def _fold_each(source: str) -> Folded:
    """fold_text character by character: any text (a character may fold to two, or to none)."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(source):
        if ch == "\n":
            piece = ch
        elif ch.isspace():
            # Spaces go, except one between a digit (or letter) and a digit: '专项1 107.92万元'
            # must not read as 1107.92.
            prev = out[-1][-1:] if out else ""
            if not (prev.isascii() and prev.isalnum() and i + 1 < len(source) and fold(source[i + 1]).isdigit()):
                continue
            piece = " "
        else:
            piece = _PIECES.get(ch) or _learn(ch)
        out.append(piece)
        if len(piece) == 1:
            origin.append(i)
        else:
            origin.extend([i] * len(piece))
    return Folded("".join(out), tuple(origin), source)


_SPACE_RUN = re.compile(r"\n|[^\S\n]+")  # a line break, or a run of other spaces


def _fold_spaced(source: str) -> Folded:
    """_fold_each of a text whose characters other than spaces each fold to exactly one (a
    sentence with a space in it, a long one often): the pieces between spaces are translated
    whole, and of a run of spaces only its last can stay, when it sits between a digit or letter
    and a digit. tests/report/test_text.py holds it equal to _fold_each."""
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _SPACE_RUN.finditer(source):
        start, end = m.span()
        if start > pos:
            out.append(source[pos:start].translate(_TABLE))
            origin.extend(range(pos, start))
        if source[start] == "\n":
            out.append("\n")
            origin.append(start)
        else:
            prev = out[-1][-1:] if out else ""
            if prev.isascii() and prev.isalnum() and end < len(source) and fold(source[end]).isdigit():
                out.append(" ")
                origin.append(end - 1)
        pos = end
    if pos < len(source):
        out.append(source[pos:].translate(_TABLE))
        origin.extend(range(pos, len(source)))
    return Folded("".join(out), tuple(origin), source)


# Folded form of each character seen so far: NFKC per character is the slow part of folding.
_PIECES: dict[str, str] = {}
# The same as a str.translate table; the characters that do not fold to exactly one; those that
# fold to another one (most sentences have none, and need no translate at all).
_TABLE: dict[int, str] = {}
_UNEVEN: set[str] = set()
_CHANGED: set[str] = set()


def _learn(ch: str) -> str:
    piece = _fold_char(ch)
    _TABLE[ord(ch)] = piece
    if len(piece) != 1:
        _UNEVEN.add(ch)
    elif piece != ch:
        _CHANGED.add(ch)
    _PIECES[ch] = piece
    return piece


def _fold_char(ch: str) -> str:
    piece = ch if ch in _KEEP else fold(ch)
    return "".join(c for c in piece if not c.isspace())


@lru_cache(maxsize=1024)
def sentences(body: str) -> tuple[str, ...]:
    """The sentences of a section body, as written (ending punctuation kept)."""
    return tuple(_sentences(body))


_SENTENCE_END = re.compile("[" + re.escape(SENTENCE_END) + "]")


def _sentences(body: str) -> list[str]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(body):
        i = m.start()
        piece = body[start : i + (m.group() != "\n")].strip()
        if piece:
            out.append(piece)
        start = i + 1
    tail = body[start:].strip()
    if tail:
        out.append(tail)
    return out


def clause_at(sentence: Folded, start: int, end: int) -> str:
    """The clause (between commas or semicolons) around folded[start:end], as written."""
    text = sentence.text
    left = max((text.rfind(c, 0, start) for c in CLAUSE_END), default=-1) + 1
    rights = [p for p in (text.find(c, end) for c in CLAUSE_END) if p != -1]
    right = min(rights) if rights else len(text)
    return sentence.original(left, right).strip()


_PUNCT = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）\[\]【】、，,；;：:。.!！?？·…\-—_/]")


@lru_cache(maxsize=16384)
def name_key(text: str) -> str:
    """A name as compared: folded, without spaces, quotes, brackets and punctuation."""
    return _PUNCT.sub("", fold(text))


@lru_cache(maxsize=16384)
def bigrams(text: str) -> frozenset[str]:
    key = name_key(text)
    if len(key) == 1:
        return frozenset({key})
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def coverage(name: str, context: str) -> float:
    """Share of the name's character pairs found in the context (0..1)."""
    return share_of(bigrams(name), bigrams(context))


def share_of(name_grams: frozenset[str], context_grams: frozenset[str]) -> float:
    """coverage() of pairs worked out already (a name scored against many contexts, or the reverse)."""
    return len(name_grams & context_grams) / len(name_grams) if name_grams else 0.0


def dice(a: str, b: str) -> float:
    ga, gb = bigrams(a), bigrams(b)
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


@lru_cache(maxsize=16384)
def common_run(a: str, b: str) -> str:
    """The longest common substring of two names (as compared)."""
    a, b = name_key(a), name_key(b)
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best
