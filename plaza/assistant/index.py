"""The in-memory retrieval index over the published passages: BM25 on jieba terms, where a term in the
heading counts ``HEADING_WEIGHT`` times and one in the document title ``TITLE_WEIGHT`` times (a simple BM25F),
plus an IDF-weighted overlap of character bigrams so a paraphrase still scores.

Both parts are normalised to 0…1 — BM25 by the most the query's terms could earn, the bigrams by the share
of the query's bigram weight found — so one threshold tells a confident answer from a guess whatever the
question's length. Terms and bigrams the knowledge base has never seen count against the match, which is
what keeps 「食堂几点开饭」 from being answered with the dues table. A good score is necessary, not sufficient:
:meth:`Index.support` also asks whether the best passage is *about* the question (see :class:`Support`).

The index is built once per process and rebuilt when the knowledge base changes: every search reads a
one-row signature of the passages (count, last id, last document change), a few hundred microseconds.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Max

from . import kinds, published
from . import text as chinese
from .models import Document, Passage

K1 = 1.2
B = 0.75
HEADING_WEIGHT = 3.0
TITLE_WEIGHT = 1.0
PREAMBLE_PRIOR = 0.85  # a document's opening words (no heading) are less specific than any headed section
BM25_SHARE = 0.55  # the rest is the bigram overlap
#: Plaza's published rules (digest, 25 steps, 本单位规定) restate what the knowledge base's own documents often say
#: in more words; where both answer, the organisation's document comes first, and the rules where they say more.
PUBLISHED_PRIOR = 0.9
OWN_RULES_WEIGHT = 1.25  # 「我们单位…」 (kinds.asks_own_rules): a 本单位规定 scores this much more
KIND_WEIGHT = 0.8  # a section that gives the kind of answer asked scores up to this share more (kinds.cue)


@dataclass(frozen=True)
class Entry:
    """One retrievable section. A stored passage has its ids; a section of Plaza's published rules
    (:mod:`plaza.assistant.published`) has negative ids, its page's address as ``link`` and, for a 本单位规定,
    the rule's key as ``rule``."""

    passage: int
    document: int
    title: str
    heading: str
    text: str
    order: int
    link: str = ""
    rule: str = ""

    @property
    def url(self) -> str:
        return self.link or f"/assistant/documents/{self.document}/#p{self.order}"

    @property
    def stored(self) -> bool:
        return self.passage > 0


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    bm25: float
    overlap: float
    cue: float = 0.0  # how well the section gives the kind of answer asked (kinds.cue)


@dataclass(frozen=True)
class Support:
    """Whether one passage is *about* a question, which its score alone does not tell: 「年终奖什么时候发」 scores
    high on the 党费 base rule because that passage mentions 年终奖 once (to exclude it).

    The question's subject words are its words as jieba cuts them whole, less the aspect words of
    ``lexicon/aspects.txt`` (标准, 时限, 材料 … say what is asked, not about what). ``found`` counts those the
    passage contains, ``named`` tells whether one is in its title or heading."""

    found: int
    named: bool
    subjects: int

    @property
    def about(self) -> bool:
        """A passage is about the question when its title or heading names one of the question's subject
        words, or when it contains at least two of them. One word the passage merely mentions in passing is
        not enough: that is how 年终奖, 加班费, 年假 and 工作证 questions were answered with the wrong rules."""
        return self.named or self.found >= 2


class Index:
    """Postings of weighted term frequencies and of bigrams over a list of entries."""

    def __init__(self, entries: list[Entry], signature: tuple = ()) -> None:
        self.entries = entries
        self.signature = signature
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.bigram_postings: dict[str, list[int]] = defaultdict(list)
        self.lengths: list[float] = []
        self.priors: list[float] = []
        self.cues: list[dict[str, float]] = []
        no_cues: dict[str, float] = {}
        for i, entry in enumerate(entries):
            found = _analysed(entry.title, entry.heading, entry.text)
            self.lengths.append(found.length)
            for term, tf in found.weighted:
                self.postings[term].append((i, tf))
            self.priors.append((1.0 if entry.heading else PREAMBLE_PRIOR) * (1.0 if entry.stored else PUBLISHED_PRIOR))
            self.cues.append(dict(found.cues) if found.cues else no_cues)
            for gram in found.grams:
                self.bigram_postings[gram].append(i)
        self.count = len(entries)
        self.average = (sum(self.lengths) / self.count) if self.count else 1.0
        self.unseen_idf = self._idf(0)

    def _idf(self, df: int) -> float:
        return math.log(1 + (self.count - df + 0.5) / (df + 0.5))

    def support(self, question: str, entry: Entry) -> Support:
        """See :class:`Support`. Segments the one passage again (well under a millisecond), so it is asked of the
        best hit only."""
        aspects = chinese.aspects()
        subjects = [pieces for head, pieces in chinese.concepts(question) if head not in aspects]
        named_terms = set(chinese.terms(entry.title)) | set(chinese.terms(entry.heading))
        all_terms = named_terms | set(chinese.terms(entry.text))
        found = [pieces for pieces in subjects if pieces & all_terms]
        return Support(len(found), any(pieces & named_terms for pieces in found), len(subjects))

    def search(self, question: str, limit: int = 5) -> list[Hit]:
        if not self.count:
            return []
        query = Counter(chinese.terms(question))
        grams = chinese.bigrams(question)
        if not query and not grams:
            return []
        bm25: dict[int, float] = defaultdict(float)
        best = 0.0
        for term, qtf in query.items():
            postings = self.postings.get(term, ())
            idf = self._idf(len(postings)) if postings else self.unseen_idf
            weight = idf * min(qtf, 2)
            best += weight * (K1 + 1)
            for i, tf in postings:
                norm = K1 * (1 - B + B * self.lengths[i] / self.average)
                bm25[i] += weight * tf * (K1 + 1) / (tf + norm)
        overlap: dict[int, float] = defaultdict(float)
        total = 0.0
        for gram in grams:
            postings = self.bigram_postings.get(gram, ())
            idf = self._idf(len(postings)) if postings else self.unseen_idf
            total += idf
            for i in postings:
                overlap[i] += idf
        kind = kinds.asked(question)
        own = OWN_RULES_WEIGHT if kinds.asks_own_rules(question) else 1.0
        hits = []
        for i in set(bm25) | set(overlap):
            b = bm25.get(i, 0.0) / best if best else 0.0
            o = overlap.get(i, 0.0) / total if total else 0.0
            cue = self.cues[i].get(kind, 0.0)
            score = self.priors[i] * (BM25_SHARE * b + (1 - BM25_SHARE) * o) * (1 + KIND_WEIGHT * cue)
            if self.entries[i].rule:
                score *= own
            hits.append(Hit(self.entries[i], score, b, o, cue))
        hits.sort(key=lambda h: (-h.score, h.entry.passage))
        return hits[:limit]


@dataclass(frozen=True)
class Analysed:
    """A section's terms with their weights (by where they stand), its length, bigrams and kind cues; tuples,
    not Counters and sets, since one is kept per section between builds."""

    weighted: tuple[tuple[str, float], ...]
    length: float
    grams: tuple[str, ...]
    cues: tuple[tuple[str, float], ...]


#: (title, heading, text) → its analysis, kept from one build to the next so that a rebuild after a small
#: change (a 本单位规定 set, one document imported) segments only what changed; pruned to the current entries.
_analyses: dict[tuple[str, str, str], Analysed] = {}


@lru_cache(maxsize=4096)
def _title_terms(title: str) -> tuple[tuple[str, int], ...]:
    return tuple(Counter(chinese.terms(title)).items())


def _analysed(title: str, heading: str, text: str) -> Analysed:
    key = (title, heading, text)
    found = _analyses.get(key)
    if found is not None:
        return found
    weighted: Counter = Counter()
    for term, n in Counter(chinese.terms(text)).items():
        weighted[term] += n
    for term, n in Counter(chinese.terms(heading)).items():
        weighted[term] += n * HEADING_WEIGHT
    length = float(sum(weighted.values())) or 1.0  # the title is the same for the whole document
    for term, n in _title_terms(title):
        weighted[term] += n * TITLE_WEIGHT
    grams = tuple(chinese.bigrams(f"{title}。{heading}。{text}"))
    cues = tuple((kind, cue) for kind, cue in kinds.cues(heading, text).items() if cue)
    found = Analysed(tuple(weighted.items()), length, grams, cues)
    _analyses[key] = found
    return found


_lock = threading.Lock()
_current: Index | None = None


def signature() -> tuple:
    """What the index depends on: the published documents and passages (count, last change, last id) and
    the published rules' :func:`~plaza.assistant.published.version` (the stored 本单位规定). Two small queries,
    read on every search, so every process follows a change made in any other."""

    row = Document.objects.filter(published=True).aggregate(
        n_documents=Count("id", distinct=True),
        changed=Max("updated_at"),
        n_passages=Count("passages"),
        last_passage=Max("passages__id"),
    )
    return (row["n_documents"], row["changed"], row["n_passages"], row["last_passage"], published.version())


def entries() -> list[Entry]:
    """The published passages, document by document, then Plaza's own published rules (negative ids)."""

    rows = (
        Passage.objects.filter(document__published=True)
        .order_by("document_id", "order")
        .values_list("id", "document_id", "document__title", "heading", "text", "order")
    )
    found = [Entry(*row) for row in rows]
    documents: dict[str, int] = {}
    for n, section in enumerate(published.sections(), 1):
        document = documents.setdefault(section.title, -(len(documents) + 1))
        found.append(Entry(-n, document, section.title, section.heading, section.text, n, section.url, section.rule))
    return found


def build(sig: tuple = ()) -> Index:
    found = Index(entries(), sig)
    keep = {(e.title, e.heading, e.text) for e in found.entries}
    for key in [key for key in _analyses if key not in keep]:
        _analyses.pop(key, None)
    return found


def current() -> Index:
    """The index of the knowledge base as it is now, rebuilt only when it changed."""
    global _current
    sig = signature()
    found = _current
    if found is not None and found.signature == sig:
        return found
    with _lock:
        if _current is None or _current.signature != sig:
            _current = build(sig)
        return _current


def forget() -> None:
    global _current
    with _lock:
        _current = None


def forget_on_change(organisation: object, today: object) -> None:
    """A ``plaza.localrules.services.on_change`` receiver: the rules' text changed, build again on next use."""
    forget()
