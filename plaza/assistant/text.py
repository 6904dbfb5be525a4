"""Chinese text for retrieval: jieba segmentation with our own dictionary of Party, union and HR terms
(``lexicon/userdict.txt``), synonyms folded onto one canonical word (``lexicon/synonyms.txt``), stop words
(``lexicon/stopwords.txt``) dropped, and the character bigrams that let a paraphrase still score when the words differ.
:func:`concepts` groups a question's terms by the word they came from, and ``lexicon/aspects.txt`` lists the
words that ask *what about* a subject (标准, 材料, 时限 …) rather than name one; the confidence check uses both.

One tokenizer per process, built on first use (jieba reads its dictionary once, about a second).
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from pathlib import Path

LEXICON = Path(__file__).resolve().parent / "lexicon"


_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_log_lock = threading.Lock()


@cache
def stop_words() -> frozenset[str]:
    lines = (LEXICON / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


@cache
def aspects() -> frozenset[str]:
    """Canonical words (after synonym folding) that say what is asked about a subject — how much, how long,
    which papers, how to apply — read from ``lexicon/aspects.txt``. They help ranking but never show on
    their own that a passage is about the question: 「五一放几天假」 shares only 天数 with the 疗休养 rules."""
    lines = (LEXICON / "aspects.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(_normal(w) for line in lines for w in line.split("#", 1)[0].split())


@cache
def synonyms() -> dict[str, str]:
    """Variant → canonical word, read from ``lexicon/synonyms.txt``."""
    table: dict[str, str] = {}
    for line in (LEXICON / "synonyms.txt").read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        for variant in words[1:]:
            table[variant] = words[0]
    return table


@cache
def _spoken_forms() -> tuple[tuple[re.Pattern[str], str], ...]:
    found = []
    for line in (LEXICON / "spoken.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, _tab, replacement = line.partition("\t")
        found.append((re.compile(pattern), replacement.strip()))
    return tuple(found)


def spoken(question: str) -> str:
    """The question with its spoken forms written out (``lexicon/spoken.txt``: 咋 → 怎么, 啥 → 什么, a final
    不 → 吗, 「我想问下」 dropped), so that the kind asked (:mod:`plaza.assistant.kinds`) reads the same from
    「疗休养能去不」 as from 「疗休养能去吗」."""
    for pattern, replacement in _spoken_forms():
        question = pattern.sub(replacement, question)
    return question.strip() or question


def likelihood(text: str) -> float:
    """The natural log of the probability of the text's most likely segmentation under jieba's word frequencies
    (its own dynamic programme): how well a text reads as words. :mod:`plaza.assistant.spelling` compares a
    question with a correction of it."""
    found = tokenizer()
    route: dict[int, tuple[float, int]] = {}
    found.calc(text, found.get_DAG(text), route)
    return route[0][0] if text else 0.0


@cache
def known_words() -> frozenset[str]:
    """The words of the lexicon itself: every word of ``userdict.txt`` and ``synonyms.txt`` (variants and canonical
    forms), as written; with the index's terms they are the words :mod:`plaza.assistant.spelling` corrects into."""
    found = set(synonyms()) | set(synonyms().values())
    for line in (LEXICON / "userdict.txt").read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            found.add(words[0])
    return frozenset(found)


_tokenizer = None
_tokenizer_lock = threading.Lock()


def tokenizer():  # noqa: ANN201
    """The one jieba tokenizer of the process, loaded on first use under a lock: a question that arrives while the
    background warm-up (:mod:`plaza.assistant.warmup`) is loading it waits for that load instead of starting a
    second one beside it (``functools.cache`` would let both run, each slowing the other)."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            import jieba  # reason: 0.6 s to import; loaded with the first text to segment

            with _log_lock:
                jieba.setLogLevel(logging.WARNING)
            found = jieba.Tokenizer()
            found.initialize()
            found.load_userdict(str(LEXICON / "userdict.txt"))
            for variant in synonyms():
                if len(variant) > 1 and not found.FREQ.get(variant):
                    found.add_word(variant, 300)
            _tokenizer = found
    return _tokenizer


def _normal(word: str) -> str:
    word = word.strip().lower()
    return synonyms().get(word, word)


def _kept(word: str) -> bool:
    return word not in stop_words() and (len(word) > 1 or word.isascii() and word.isalnum())


def terms(text: str) -> list[str]:
    """The search terms of a text: jieba's search-mode words (long words and the words inside them),
    lower-cased, synonyms folded; stop words, punctuation and single Chinese characters (too ambiguous
    alone, they still count in the bigrams) dropped. Order kept, repeats kept."""
    found = []
    for word in tokenizer().cut_for_search(text):
        word = _normal(word)
        if _kept(word):
            found.append(word)
    return found


def concepts(text: str) -> list[tuple[str, frozenset[str]]]:
    """The words of a text as jieba cuts it whole, each as (its own term, the set of search terms it yields:
    the word and the known words inside it, 加班费 → {加班费, 加班, 班费}), so one word of a question counts
    once however many terms it splits into. In order; stop words, repeats and words with no term dropped."""
    found: list[tuple[str, frozenset[str]]] = []
    known = tokenizer().FREQ
    for word in tokenizer().cut(text):
        head = _normal(word)
        if not head or head in stop_words() or not _KEEP.search(head):
            continue
        inner = {word[i : i + n] for n in (2, 3) if len(word) > n for i in range(len(word) - n + 1)}
        pieces = frozenset(w for w in (_normal(t) for t in {word, *(g for g in inner if known.get(g))}) if _kept(w))
        if pieces and (head, pieces) not in found:
            found.append((head, pieces))
    return found


def bigrams(text: str) -> set[str]:
    """Character bigrams inside each run of meaningful words (stop words break a run), synonyms folded, so
    「生孩子能领多少慰问」 and 「生育慰问金标准」 share 生育, 慰问 … even where segmentation differs."""
    runs: list[str] = []
    current = ""
    for word in tokenizer().lcut(text):
        word = word.strip().lower()
        if not word or word in stop_words() or not _KEEP.search(word):
            if current:
                runs.append(current)
            current = ""
            continue
        current += synonyms().get(word, word)
    if current:
        runs.append(current)
    return {run[i : i + 2] for run in runs for i in range(len(run) - 1)}
