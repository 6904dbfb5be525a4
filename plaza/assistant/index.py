"""The in-memory retrieval index over the published passages: BM25 on jieba terms, where a term in the
heading counts ``HEADING_WEIGHT`` times and one in the document title ``TITLE_WEIGHT`` times (a simple BM25F),
plus an IDF-weighted overlap of character bigrams so a paraphrase still scores.

Both parts are normalised to 0…1 — BM25 by the most the query's terms could earn, the bigrams by the share
of the query's bigram weight found — so one threshold tells a confident answer from a guess whatever the
question's length. Terms and bigrams the knowledge base has never seen count against the match, which is
what keeps 「食堂几点开饭」 from being answered with the dues table. A good score is necessary, not sufficient:
:meth:`Index.support` also asks whether the best passage is *about* the question (see :class:`Support`).

The order of the best few sections is then the fitted model's (:mod:`plaza.assistant.rerank`), which weighs the
same measurements and where the question's words stand (heading, title, the words that are not the document's
subject) against each other, as learned from the labelled older sets.

The fitted model also reads how close the question is to the ways people have asked for each candidate section
before (:class:`~plaza.assistant.models.Example`, 常见问法: questions confirmed helpful by their askers, or written
down by staff): the words people use that a section's text does not contain.

Every question is compared with all the example questions at once through their postings (:meth:`Index.neighbours`):
the closest example of each section and the sections' shares of the ten closest (a nearest-neighbour vote) are two
of the fitted model's measurements, the sections closest by example join its candidates however few of the
question's words their text has, and a question nearer to an off-topic example (:attr:`Example.off_topic`) than to
any way of asking for its best section is handed off (:func:`plaza.assistant.services.confident`).

The index is built once per process and rebuilt when the knowledge base changes: every search reads a
one-row signature of the passages (count, last id, last document change) and of the examples, a few hundred
microseconds.
"""

from __future__ import annotations

import copy
import math
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from django.db.models import Count, Max

from . import kinds, published, rerank, spelling
from . import text as chinese
from .models import Document, Example, Passage

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
#: The share of a score that rests on how many of the question's *subject* words (its words less the aspect words,
#: see :class:`Support`) a section contains at all. BM25 adds up term weights, so a section whose heading repeats
#: two common words (交纳比例, 党费) outscores one that names the rare word the question is about (农民党员);
#: counting the subjects covered puts the section about the asker's case first.
COVER_WEIGHT = 0.3
#: A 本单位规定 ranked within this share of a document's best section that gives the kind asked better (a higher
#: :func:`kinds.cue`: its heading names the interval, the document's text only mentions one) comes first: it states
#: the value that applies to the asker's own organisation (the document states the default). A rank ratio is a
#: probability ratio under the fitted model, whose ``local_rule`` weight (learned from labels that name the
#: document) puts a 本单位规定 at about 0.3 of an otherwise equal section, so the 0.5 chosen with the first fit no
#: longer let 思想汇报的间隔 answer its question (0.46) after the refit. On the older sets 0.3 to 0.5 give the same
#: figures (0.15 costs two top-1); with the kind merely *as well* given, 介绍信有效期 answered 「介绍信过期了怎么办」.
#: 0.15 since the nearest-examples vote (a wider spread of probabilities: 思想汇报的间隔 at 0.16 of the document's
#: 培养教育, whose examples ask the same); on the ten learned sets 0.25 and 0.4 give 902 of 968 top-1, 0.15 one fewer
#: (a question labelled with the document's section), 0.1 two fewer.
LOCAL_TIE = 0.15
#: A section ranked within this share of the best that gives the kind of answer asked better (a higher
#: :func:`kinds.cue`) comes first: the near-tie is settled by the kind, as :func:`services.confident` settles it (a
#: rival within its margin that gives the kind asked less well is no rival), so the order and the confidence agree.
#: 0.8 chosen on the older sets (0.5 moved more and added confident wrong answers; 0.9 moved too few).
KIND_TIE = 0.8


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
    #: the order of the hits: ``score`` weighed by the share of the question's subjects the section covers
    #: (``COVER_WEIGHT``), then for the best few the fitted model's order (``search``: the best hit's score times
    #: the ratio of the two sections' probabilities under the model, a section moved first by the kind or local
    #: tie taking the best rank); the threshold reads ``score``, so a good match is not refused for a word it lacks.
    #: The sources show it: they are listed in its order
    rank: float = 0.0
    #: how close the question is to the closest example question of the section (:meth:`Index.neighbours`); None
    #: when the section has none (a document staff have just imported), or when it was not among the candidates
    #: the fitted model read
    asked: float | None = None
    #: how close the question is to the closest off-topic example (:attr:`Neighbours.outside`), and its words
    outside: float = 0.0
    outside_terms: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.rank:  # a hit made by hand (tests, the FAQ) ranks by its score
            object.__setattr__(self, "rank", self.score)


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


@dataclass(frozen=True)
class Asked:
    """One example question of a section as the index compares it: its text, and its bigrams and terms (as the
    question is searched: rewritten) with the sums of their weights."""

    text: str
    grams: frozenset[str]
    terms: frozenset[str]
    gram_weight: float
    term_weight: float


@dataclass(frozen=True)
class Neighbours:
    """A question against the example questions of every section (:meth:`Index.neighbours`)."""

    closest: dict[int, float]
    votes: dict[int, float]
    #: how close the question is to the closest off-topic example (a question the knowledge base does not answer),
    #: and that example's terms
    outside: float = 0.0
    outside_terms: frozenset[str] = frozenset()


#: How many of the closest example questions vote for their sections (:meth:`Index.neighbours`).
VOTERS = 10
#: Sections whose examples are closest to the question join the fitted model's candidates, however little of the
#: question their own text shares: the few closest by example beyond the hand-set formula's pool.
EXAMPLE_POOL = 3


class Index:
    """Postings of weighted term frequencies and of bigrams over a list of entries."""

    def __init__(
        self, entries: list[Entry], signature: tuple = (), examples: Iterable[tuple[str, str, str]] = ()
    ) -> None:
        self.entries = entries
        self.signature = signature
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.bigram_postings: dict[str, list[int]] = defaultdict(list)
        self.lengths: list[float] = []
        self.priors: list[float] = []
        self.cues: list[dict[str, float]] = []
        self.term_sets: list[frozenset[str]] = []
        self.heading_terms: list[frozenset[str]] = []
        self.heading_grams: list[frozenset[str]] = []
        self.title_terms: list[frozenset[str]] = []
        self.gram_sets: list[frozenset[str]] = []
        self.title_grams: list[frozenset[str]] = []
        no_cues: dict[str, float] = {}
        for i, entry in enumerate(entries):
            found = _analysed(entry.title, entry.heading, entry.text)
            self.lengths.append(found.length)
            for term, tf in found.weighted:
                self.postings[term].append((i, tf))
            self.priors.append((1.0 if entry.heading else PREAMBLE_PRIOR) * (1.0 if entry.stored else PUBLISHED_PRIOR))
            self.cues.append(dict(found.cues) if found.cues else no_cues)
            self.term_sets.append(frozenset(term for term, _weight in found.weighted))
            self.heading_terms.append(found.heading_terms)
            self.heading_grams.append(found.heading_grams)
            self.title_terms.append(frozenset(term for term, _n in _title_terms(entry.title)))
            self.gram_sets.append(frozenset(found.grams))
            self.title_grams.append(_title_grams(entry.title))
            for gram in found.grams:
                self.bigram_postings[gram].append(i)
        #: the words the knowledge base knows (its terms, the lexicon's words and their variants): what
        #: :meth:`rewrite` corrects a slip of the pinyin IME into
        self.vocabulary = frozenset(
            word for word in (*self.postings, *chinese.known_words()) if len(word) > 1 and not word.isascii()
        )
        self._rewritten: dict[str, str] = {}
        _keep_example_words(self.vocabulary)
        self.count = len(entries)
        self.average = (sum(self.lengths) / self.count) if self.count else 1.0
        self.unseen_idf = self._idf(0)
        where: dict[tuple[str, str], list[int]] = defaultdict(list)
        words: dict[int, list[str]] = defaultdict(list)
        for i, entry in enumerate(entries):
            where[(entry.title, entry.heading)].append(i)
            words[entry.document] += (entry.title, entry.heading, entry.text)
        #: a document's whole wording, by its id: what a section that does not say whose rules it gives is read with
        #: (``services._other_organisation``)
        self.document_words: dict[int, str] = {document: " ".join(parts) for document, parts in words.items()}
        found: dict[int, list[Asked]] = defaultdict(list)
        outside: list[Asked] = []
        for title, heading, text in examples:
            if not title:  # an off-topic example (Example.off_topic): a question the knowledge base does not answer
                outside.append(self._example(text))
                continue
            places = where.get((title, heading))
            if places:
                asked = self._example(text)
                for i in places:
                    found[i].append(asked)
        #: entry number → the examples of its section (title, heading)
        self.examples: dict[int, tuple[Asked, ...]] = {i: tuple(rows) for i, rows in found.items()}
        #: every example once, with the entries it is for, and postings of its bigrams and terms: what
        #: :meth:`neighbours` reads to compare a question with all the examples at once
        owners: dict[Asked, list[int]] = defaultdict(list)
        for i, rows in self.examples.items():
            for asked in rows:
                owners[asked].append(i)
        for asked in outside:
            owners.setdefault(asked, [])
        #: (an off-topic example has no entries)
        self.example_rows: list[tuple[Asked, tuple[int, ...]]] = [(a, tuple(ids)) for a, ids in owners.items()]
        self.example_grams: dict[str, list[int]] = defaultdict(list)
        self.example_terms: dict[str, list[int]] = defaultdict(list)
        for n, (asked, _ids) in enumerate(self.example_rows):
            for gram in asked.grams:
                self.example_grams[gram].append(n)
            for term in asked.terms:
                self.example_terms[term].append(n)
        #: examples worded as one of these are not read (:meth:`without_examples`)
        self.left_out: frozenset[str] = frozenset()

    def gram_weight(self, gram: str) -> float:
        holders = self.bigram_postings.get(gram, ())
        return self._idf(len(holders)) if holders else self.unseen_idf

    def term_weight(self, term: str) -> float:
        postings = self.postings.get(term, ())
        return self._idf(len(postings)) if postings else self.unseen_idf

    def _asked(self, text: str) -> Asked:
        rewritten = self.rewrite(text)
        return self._weighed(text, frozenset(chinese.bigrams(rewritten)), frozenset(chinese.terms(rewritten)))

    def _example(self, text: str) -> Asked:
        """An example question as :meth:`_asked` reads a question, its words kept between builds (see
        :data:`_example_words`)."""
        kept = _example_words.get(text)
        if kept is None:
            rewritten = self._corrected(text)
            kept = rewritten, frozenset(chinese.bigrams(rewritten)), frozenset(chinese.terms(rewritten))
            if len(_example_words) > EXAMPLE_WORDS_KEPT:
                _example_words.clear()
            _example_words[text] = kept
        return self._weighed(text, kept[1], kept[2])

    def _weighed(self, text: str, grams: frozenset[str], terms: frozenset[str]) -> Asked:
        return Asked(
            text,
            grams,
            terms,
            sum(map(self.gram_weight, grams)),
            sum(map(self.term_weight, terms)),
        )

    def neighbours(self, question: Asked) -> Neighbours:
        """How close ``question`` is to the examples of every section that has one sharing a word with it, read
        through the examples' postings (a few thousand examples: a millisecond or two). Two questions' similarity is
        the mean of the weighted cosines of their bigram sets and of their term sets (idf weights). ``closest``:
        entry → the similarity of its closest example (none: no example); ``votes``: entry → its share of the
        similarity of the :data:`VOTERS` closest examples of all (a nearest-neighbour vote: many ways of asking
        close to the question agree on one section, where the closest alone may be a stray wording)."""
        grams: dict[int, float] = defaultdict(float)
        terms: dict[int, float] = defaultdict(float)
        for gram in question.grams:
            weight = self.gram_weight(gram)
            for n in self.example_grams.get(gram, ()):
                grams[n] += weight
        for term in question.terms:
            weight = self.term_weight(term)
            for n in self.example_terms.get(term, ()):
                terms[n] += weight
        closest: dict[int, float] = {}
        outside = 0.0
        outside_terms: frozenset[str] = frozenset()
        scored: list[tuple[float, int]] = []
        for n in grams.keys() | terms.keys():
            example, owners = self.example_rows[n]
            if example.text in self.left_out:
                continue
            g = grams.get(n, 0.0) / math.sqrt(question.gram_weight * example.gram_weight) if example.gram_weight else 0
            t = terms.get(n, 0.0) / math.sqrt(question.term_weight * example.term_weight) if example.term_weight else 0
            value = (g + t) / 2
            scored.append((value, n))
            if not owners and value > outside:
                outside, outside_terms = value, example.terms
            for i in owners:
                if value > closest.get(i, 0.0):
                    closest[i] = value
        scored.sort(reverse=True)
        top = scored[:VOTERS]
        total = sum(value for value, _n in top)
        votes: dict[int, float] = defaultdict(float)
        if total:
            for value, n in top:
                for i in self.example_rows[n][1]:
                    votes[i] += value / total
        return Neighbours(closest, dict(votes), outside, outside_terms)

    def without_examples(self, texts: Iterable[str]) -> Index:
        """This index less the examples worded as one of ``texts``: a set of questions is measured against the
        examples of the *other* questions only (:mod:`plaza.assistant.evaluation`), or it would find itself."""
        leave = set(texts)
        found = copy.copy(self)
        found.examples = {
            i: kept for i, rows in self.examples.items() if (kept := tuple(e for e in rows if e.text not in leave))
        }
        found.left_out = self.left_out | leave
        found._rewritten = {}
        return found

    def _idf(self, df: int) -> float:
        return math.log(1 + (self.count - df + 0.5) / (df + 0.5))

    def rewrite(self, question: str) -> str:
        """The question as it is searched: spoken forms written out (:func:`chinese.spoken`) and slips of the
        pinyin IME corrected into the knowledge base's words (:mod:`plaza.assistant.spelling`). Kept per index
        (the last few hundred questions)."""
        found = self._rewritten.get(question)
        if found is None:
            found = self._corrected(question)
            if len(self._rewritten) > 512:
                self._rewritten.clear()
            self._rewritten[question] = found
        return found

    def _corrected(self, question: str) -> str:
        return spelling.correct(chinese.spoken(question), self.vocabulary.__contains__, self._word, chinese.likelihood)

    def _word(self, word: str) -> bool:
        return word in self.vocabulary or bool(chinese.tokenizer().FREQ.get(word))

    def support(self, question: str, entry: Entry) -> Support:
        """See :class:`Support`. Segments the one passage again (well under a millisecond), so it is asked of the
        best hit only."""
        subjects = _subjects(self.rewrite(question))
        named_terms = _named_terms(entry)
        all_terms = named_terms | set(chinese.terms(entry.text))
        found = [pieces for pieces in subjects if pieces & all_terms]
        return Support(len(found), any(pieces & named_terms for pieces in found), len(subjects))

    def named(self, question: str, entry: Entry) -> list[frozenset[str]]:
        """The question's subject words (as :meth:`support` reads them) that the section's title or heading names."""
        named_terms = _named_terms(entry)
        return [pieces for pieces in _subjects(self.rewrite(question)) if pieces & named_terms]

    def search(self, question: str, limit: int = 5) -> list[Hit]:
        """The best sections for a question, best first: the hand-set formula's best :data:`rerank.POOL` candidates
        and the :data:`EXAMPLE_POOL` closest by example, in the order of the fitted model (:mod:`.rerank`), then
        the rest. A section within :data:`KIND_TIE` of the best that gives the kind asked better comes first;
        then a 本单位规定 within :data:`LOCAL_TIE` of a document's best section that gives the kind asked better (or as
        well, when the question asks about 我们单位): it answers with the value that applies to the asker. ``rank``
        reads best first whatever was moved (a moved section takes the best rank, the others move down a place with
        theirs): it is what the sources show."""
        question = self.rewrite(question)
        scored = self.candidates(question)
        pool = [row for row in scored if row[1]]
        if not pool or not any(rerank.WEIGHTS):
            return [hit for hit, _features in scored[:limit]]
        # the fitted order that reads example questions where every candidate has some; else the one fitted without
        # them (a knowledge base without examples, a document just imported: no example is not a far example)
        weights = rerank.WEIGHTS if all(hit.asked is not None for hit, _f in pool) else rerank.PLAIN_WEIGHTS
        z = [rerank.logit(features, weights) for _hit, features in pool]
        top = max(z)
        lead = pool[z.index(top)][0].score
        order = sorted(range(len(pool)), key=lambda n: (-z[n], pool[n][0].entry.passage))
        hits = [replace(pool[n][0], rank=lead * math.exp(z[n] - top)) for n in order]
        ranks = [h.rank for h in hits]
        kind = max((h for h in hits[1:] if h.rank >= hits[0].rank * KIND_TIE), key=lambda h: h.cue, default=None)
        if kind is not None and kind.cue > hits[0].cue:
            hits.remove(kind)
            hits.insert(0, kind)
        if hits[0].entry.stored:
            # 「我们单位…」 asks for the organisation's own value: a 本单位规定 giving the kind as well comes first
            own = kinds.asks_own_rules(question)
            local = next((h for h in hits[1:] if h.entry.rule and h.rank >= hits[0].rank * LOCAL_TIE), None)
            if local is not None and (local.cue > hits[0].cue or own and local.cue >= hits[0].cue):
                hits.remove(local)
                hits.insert(0, local)
        # a section moved first takes the best rank and the others keep theirs in order, so ranks read best first
        hits = [replace(h, rank=r) for h, r in zip(hits, ranks, strict=True)]
        floor = min(ranks)
        hits += [replace(hit, rank=min(hit.rank, floor / 2)) for hit, _features in scored[len(pool) : limit]]
        return hits[:limit]

    def candidates(self, question: str, pool: int = rerank.POOL) -> list[tuple[Hit, tuple[float, ...]]]:
        """Every section sharing a term or a bigram with the question, as a :class:`Hit` ordered by the hand-set
        formula (score weighed by subject coverage); the first ``pool`` with what :mod:`plaza.assistant.rerank`
        reads of them (:data:`rerank.FEATURES`), the rest with nothing (they are not reordered)."""
        if not self.count:
            return []
        question = self.rewrite(question)
        query = Counter(chinese.terms(question))
        grams = chinese.bigrams(question)
        if not query and not grams:
            return []
        bm25: dict[int, float] = defaultdict(float)
        best = 0.0
        term_weights: dict[str, float] = {}
        for term, qtf in query.items():
            postings = self.postings.get(term, ())
            idf = self.term_weight(term)
            weight = idf * min(qtf, 2)
            term_weights[term] = weight
            best += weight * (K1 + 1)
            for i, tf in postings:
                norm = K1 * (1 - B + B * self.lengths[i] / self.average)
                bm25[i] += weight * tf * (K1 + 1) / (tf + norm)
        overlap: dict[int, float] = defaultdict(float)
        gram_weights: dict[str, float] = {}
        total = 0.0
        for gram in grams:
            holders = self.bigram_postings.get(gram, ())
            idf = self.gram_weight(gram)
            gram_weights[gram] = idf
            total += idf
            for i in holders:
                overlap[i] += idf
        terms_total = sum(term_weights.values()) or 1.0
        grams_total = total or 1.0
        kind = kinds.asked(question)
        checked = kind in kinds.CHECKED
        own = OWN_RULES_WEIGHT if kinds.asks_own_rules(question) else 1.0
        subjects = _subjects(question)
        hits: list[tuple[Hit, int, float]] = []
        for i in set(bm25) | set(overlap):
            b = bm25.get(i, 0.0) / best if best else 0.0
            o = overlap.get(i, 0.0) / total if total else 0.0
            cue = self.cues[i].get(kind, 0.0)
            score = self.priors[i] * (BM25_SHARE * b + (1 - BM25_SHARE) * o) * (1 + KIND_WEIGHT * cue)
            if self.entries[i].rule:
                score *= own
            rank = score
            covered = 1.0
            if subjects:
                covered = sum(1 for pieces in subjects if pieces & self.term_sets[i]) / len(subjects)
                rank *= 1 - COVER_WEIGHT + COVER_WEIGHT * covered
            hits.append((Hit(self.entries[i], score, b, o, cue, rank), i, covered))
        hits.sort(key=lambda row: (-row[0].rank, row[0].entry.passage))
        near = self.neighbours(self._asked(question)) if self.example_rows else Neighbours({}, {})
        chosen = hits[:pool]
        if near.closest and pool:
            # the sections closest by example join the pool, their own words or not (a section the question
            # shares no word with scores 0 and is read as such)
            have = {i for _hit, i, _covered in chosen}
            rest = {i: row for row in hits[pool:] if (i := row[1]) in near.closest}
            joining = sorted((i for i in near.closest if i not in have), key=lambda i: (-near.closest[i], i))
            for i in joining[:EXAMPLE_POOL]:
                chosen.append(rest.get(i) or (Hit(self.entries[i], 0.0, 0.0, 0.0, self.cues[i].get(kind, 0.0)), i, 0.0))
            taken = {i for _hit, i, _covered in chosen}
            hits = chosen + [row for row in hits[pool:] if row[1] not in taken]
        found: list[tuple[Hit, tuple[float, ...]]] = []
        for n, (hit, i, covered) in enumerate(hits):
            if n >= len(chosen):
                found.append((hit, ()))
                continue
            entry = hit.entry
            title_terms, title_grams = self.title_terms[i], self.title_grams[i]
            rest_terms = {t: w for t, w in term_weights.items() if t not in title_terms}
            rest_grams = {g: w for g, w in gram_weights.items() if g not in title_grams}
            features = (
                math.log(max(hit.score, 1e-6)),
                hit.bm25,
                hit.overlap,
                hit.cue,
                1.0 if hit.cue >= 1.0 else 0.0,
                1.0 if checked and not hit.cue else 0.0,
                covered,
                sum(w for t, w in term_weights.items() if t in self.heading_terms[i]) / terms_total,
                sum(w for g, w in gram_weights.items() if g in self.heading_grams[i]) / grams_total,
                sum(w for t, w in term_weights.items() if t in title_terms) / terms_total,
                1.0 if entry.title == published.DIGEST else 0.0,
                1.0 if entry.title == published.STEPS else 0.0,
                1.0 if entry.rule else 0.0,
                0.0 if entry.heading else 1.0,
                _share(rest_terms, self.term_sets[i]),
                _share(rest_grams, self.gram_sets[i]),
                near.closest.get(i, 0.0),
                near.votes.get(i, 0.0),
            )
            asked = near.closest.get(i, 0.0) if i in self.examples else None
            found.append((replace(hit, asked=asked, outside=near.outside, outside_terms=near.outside_terms), features))
        return found


def _subjects(question: str) -> list[frozenset[str]]:
    """A (rewritten) question's subject words: its words as jieba cuts them whole, each with its pieces, less the
    aspect words (see :class:`Support`)."""
    aspects = chinese.aspects()
    return [pieces for head, pieces in chinese.concepts(question) if head not in aspects]


def _named_terms(entry: Entry) -> set[str]:
    """The terms of a section's document title and heading."""
    return set(chinese.terms(entry.title)) | set(chinese.terms(entry.heading))


def _share(weights: dict[str, float], found: frozenset[str]) -> float:
    total = sum(weights.values())
    return sum(w for key, w in weights.items() if key in found) / total if total else 0.0


@dataclass(frozen=True)
class Analysed:
    """A section's terms with their weights (by where they stand), its length, bigrams and kind cues; tuples,
    not Counters and sets, since one is kept per section between builds."""

    weighted: tuple[tuple[str, float], ...]
    length: float
    grams: tuple[str, ...]
    cues: tuple[tuple[str, float], ...]
    heading_terms: frozenset[str]
    heading_grams: frozenset[str]


#: (title, heading, text) → its analysis, kept from one build to the next so that a rebuild after a small
#: change (a 本单位规定 set, one document imported) segments only what changed; pruned to the current entries.
_analyses: dict[tuple[str, str, str], Analysed] = {}


@lru_cache(maxsize=4096)
def _title_grams(title: str) -> frozenset[str]:
    return frozenset(chinese.bigrams(title))


@lru_cache(maxsize=4096)
def _title_terms(title: str) -> tuple[tuple[str, int], ...]:
    return tuple(Counter(chinese.terms(title)).items())


def _analysed(title: str, heading: str, text: str) -> Analysed:
    key = (title, heading, text)
    found = _analyses.get(key)
    if found is not None:
        return found
    weighted: dict[str, float] = defaultdict(float)
    for term, n in Counter(chinese.terms(text)).items():
        weighted[term] += n
    for term, n in Counter(chinese.terms(heading)).items():
        weighted[term] += n * HEADING_WEIGHT
    length = float(sum(weighted.values())) or 1.0  # the title is the same for the whole document
    for term, n in _title_terms(title):
        weighted[term] += n * TITLE_WEIGHT
    grams = tuple(chinese.bigrams(f"{title}。{heading}。{text}"))
    cues = tuple((kind, cue) for kind, cue in kinds.cues(heading, text).items() if cue)
    found = Analysed(
        tuple(weighted.items()),
        length,
        grams,
        cues,
        frozenset(chinese.terms(heading)),
        frozenset(chinese.bigrams(heading)) if heading else frozenset(),
    )
    _analyses[key] = found
    return found


#: An example question's text → its bigrams and terms as searched (spoken forms and typos rewritten), kept from one
#: build to the next: the typo model is most of a build's time (5–9 s for the demo's 7,000 examples), and a rebuild
#: after a change meets the same examples again. Valid for :data:`_example_vocabulary`; when a change brings other
#: words (a document imported, published or withdrawn) only the examples the typo model could read differently are
#: forgotten (:func:`_keep_example_words`), not all of them, so the first question after such a change does not
#: wait for a cold build.
_example_words: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {}  # text → (as rewritten, bigrams, terms)
_example_vocabulary: frozenset[str] = frozenset()
EXAMPLE_WORDS_KEPT = 20_000


def _runs(text: str) -> Iterator[str]:
    """Every run of two to four characters of ``text`` (:data:`spelling.SPANS`)."""
    for size in spelling.SPANS:
        for start in range(len(text) - size + 1):
            yield text[start : start + size]


def _keep_example_words(vocabulary: frozenset[str]) -> None:
    """Forget the kept words of the examples whose reading may depend on a word that came into or went out of the
    vocabulary. The typo model (:func:`spelling.correct`) looks up only runs of two to four characters, as written
    and with one character replaced by a near-homophone; an example none of whose runs is such a word, or such a
    word but for one character that is a near-homophone of the word's, is read the same again."""
    global _example_vocabulary
    if vocabulary == _example_vocabulary:
        return
    exact: set[str] = set()
    but_one: dict[str, set[str]] = defaultdict(set)  # the word with one character as "?" → the characters it had
    for word in _example_vocabulary ^ vocabulary if _example_words else ():
        if len(word) in spelling.SPANS:
            exact.add(word)
            for k, char in enumerate(word):
                but_one[f"{word[:k]}?{word[k + 1 :]}"].add(char)

    def depends(text: str) -> bool:
        for run in _runs(text):
            if run in exact:
                return True
            for k, char in enumerate(run):
                chars = but_one.get(f"{run[:k]}?{run[k + 1 :]}")
                if chars and not chars.isdisjoint(spelling.near(char)):
                    return True
        return False

    # the runs as first read, and as read after a correction earlier in the text changed a character
    for text in [t for t, kept in _example_words.items() if depends(chinese.spoken(t)) or depends(kept[0])]:
        del _example_words[text]
    _example_vocabulary = vocabulary


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
    asked = Example.objects.aggregate(n=Count("id"), last=Max("id"))
    return (
        row["n_documents"],
        row["changed"],
        row["n_passages"],
        row["last_passage"],
        published.version(),
        asked["n"],
        asked["last"],
    )


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


def examples() -> list[tuple[str, str, str]]:
    """Every example question (常见问法) as (title, heading, text)."""
    return list(Example.objects.order_by("id").values_list("title", "heading", "text"))


def build(sig: tuple = ()) -> Index:
    found = Index(entries(), sig, examples())
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
