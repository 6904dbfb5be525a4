"""Chinese text for retrieval: jieba segmentation with our own dictionary of Party, union and HR terms
(``lexicon/userdict.txt``), synonyms folded onto one canonical word (``lexicon/synonyms.txt``), stop words
(``lexicon/stopwords.txt``) dropped, and the character bigrams that let a paraphrase still score when the words differ.

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
def synonyms() -> dict[str, str]:
    """Variant → canonical word, read from ``lexicon/synonyms.txt``."""
    table: dict[str, str] = {}
    for line in (LEXICON / "synonyms.txt").read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        for variant in words[1:]:
            table[variant] = words[0]
    return table


@cache
def tokenizer():  # noqa: ANN201
    import jieba

    with _log_lock:
        jieba.setLogLevel(logging.WARNING)
        found = jieba.Tokenizer()
        found.initialize()
        found.load_userdict(str(LEXICON / "userdict.txt"))
        for variant in synonyms():
            if len(variant) > 1 and not found.FREQ.get(variant):
                found.add_word(variant, 300)
    return found


def _normal(word: str) -> str:
    word = word.strip().lower()
    return synonyms().get(word, word)


def terms(text: str) -> list[str]:
    """The search terms of a text: jieba's search-mode words (long words and the words inside them),
    lower-cased, synonyms folded; stop words, punctuation and single Chinese characters (too ambiguous
    alone, they still count in the bigrams) dropped. Order kept, repeats kept."""
    found = []
    for word in tokenizer().cut_for_search(text):
        word = _normal(word)
        if word not in stop_words() and (len(word) > 1 or word.isascii() and word.isalnum()):
            found.append(word)
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
    return {run[i:i + 2] for run in runs for i in range(len(run) - 1)}
