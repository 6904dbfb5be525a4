"""The order of the best sections: a small linear model over what the index measures of each candidate, fitted
on the labelled older sets (issue 12, item 13).

The index's hand-set formula (BM25F plus bigrams, times a kind boost, times subject coverage) puts the right
*document* first almost always; what it gets wrong is which of two sections of that document answers. Those
misses are near-ties the hand weights settle arbitrarily: a heading that names the kind asked (``1 + 0.8 × cue``)
outweighs a section whose heading carries the question's own words (「入党申请书交给谁」: 如何确定 before
递交入党申请书). The model weighs the same measurements against each other, plus where the question's words stand —
in the heading (:data:`FEATURES` ``heading_terms``/``heading_grams``) or only in the text.

It is a conditional logit (a softmax over one question's candidates), fitted by :func:`fit` on the older sets
(``eval.json``, ``holdout.json``, the first four colloquial sets, the confirmation set), with leave-one-set-out
cross-validation to choose the regularisation and show it generalises (``benchmarks/bench_assistant_ranker.py``
prints both and the weights). :data:`WEIGHTS` are its output, written here by hand from that script: pure
Python, no numpy, a dot product per candidate at question time. Measured on 2026-12-07: each older set ranked by a
model fitted on the *other* sets had 350 of 381 right first against 345 with the hand-set order (no set worse;
L2 0.01) — a small gain; with that day's lexicon changes the fourth colloquial set, never read here, went from 81
to 82 of 99. Refitted the same day with the fourth set among the learned ones (480 questions; after the typo model,
:mod:`plaza.assistant.spelling`, and the spoken forms): leave-one-set-out 438 of 480 right first against 428 with the
previous weights (L2 0.003, chosen by that total; the first colloquial set 2 fewer, the others as many or more). The
fifth colloquial set is never read there.

Refitted on 2026-12-07 (a later session) with a 17th measurement, ``example``: how close the question is to the
closest example question of the section (:class:`~plaza.assistant.models.Example`, 常见问法; the demo's are the
questions of the nine older sets), each set's questions measured against the *other* sets' examples only. Leave-one-
set-out over the nine sets (774 questions): 724 right first against 700 for the same model without it (the sixth
colloquial set 138 → 145 of 163; L2 0.003). The seventh colloquial set, written before and never read, went from
150 to 154 of 194.

Refitted again on 2026-12-07 (the next session) with an 18th measurement, ``example_vote``: the section's share of
the ten closest example questions of all (a nearest-neighbour vote), with thirty-two ways of asking written for
every section (``knowledge/examples.json``) and 600 off-topic examples among the examples, and the seventh set among
the learned ones (968 questions). Leave-one-set-out: 901 of 968 right first (the seventh set 164 of 194, against 150
for the hand-set order); without the two example measurements 846 (:data:`PLAIN_WEIGHTS`).

Refitted on 2026-12-08 with the eighth to tenth sets among the learned ones (1,431 questions) and the 25-step guide
naming the steps each follows (:mod:`plaza.assistant.published`): leave-one-set-out 1,332 of 1,431 right first
(1,328 with the guide as it was); without the example measurements 1,212 (1,205). The eleventh colloquial set, the
held-out one, is never read here.

Only the order changes: the threshold still reads the hand-set score (calibrated on its own), and a candidate
ranked ``z`` below the best has ``rank = score_best × exp(z − z_best)``, so ``services.MARGIN`` reads a
probability ratio between the two.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: What the model reads of one candidate section for one question (see ``index.Index.search``).
FEATURES: tuple[str, ...] = (
    "log_score",  # log of the index's hand-set score (BM25F + bigrams, kind boost, priors)
    "bm25",  # BM25F share of the most the question's terms could earn
    "overlap",  # share of the question's bigram weight found in the section
    "cue",  # how well the section gives the kind of answer asked (kinds.cue)
    "cue_named",  # 1 when its heading names that kind
    "missing_kind",  # 1 when a kind with a recognisable answer is asked and the section shows none
    "covered",  # share of the question's subject words the section contains
    "heading_terms",  # share of the question's term weight (idf) in the section's heading
    "heading_grams",  # share of the question's bigram weight in the heading
    "title_terms",  # share of the question's term weight in the document's title
    "digest",  # a section of Plaza's rules digest (党内法规摘要)
    "steps",  # a step of the 25-step guide
    "local_rule",  # a 本单位规定
    "preamble",  # a document's opening words (no heading)
    "rest_terms",  # share of the weight of the question's terms *not in the document's title* the section contains
    "rest_grams",  # the same for bigrams: what tells one section of a document from another
    "example",  # how close the question is to the closest way people asked for the section (index.neighbours)
    "example_vote",  # the section's share of the ten closest ways people asked for any section (index.neighbours)
)

#: Fitted by ``benchmarks/bench_assistant_ranker.py`` on the older labelled sets (see the module docstring).
WEIGHTS: tuple[float, ...] = (
    1.331,  # log_score
    0.526,  # bm25
    0.657,  # overlap
    0.358,  # cue
    0.203,  # cue_named
    -0.660,  # missing_kind
    1.024,  # covered
    0.168,  # heading_terms
    0.098,  # heading_grams
    0.339,  # title_terms
    0.367,  # digest
    -0.139,  # steps
    -0.068,  # local_rule
    -0.066,  # preamble
    0.785,  # rest_terms
    0.621,  # rest_grams
    2.481,  # example
    3.516,  # example_vote
)
#: The same model fitted with the example measurements left out (``example``, ``example_vote`` always 0), for a
#: question some of whose candidate sections have no example question (``index.Index.search``): a knowledge base
#: with none, or a document staff have just imported. The model above learned from sections that all have examples
#: and reads "no close example" as "not this section".
PLAIN_WEIGHTS: tuple[float, ...] = (
    3.141,  # log_score
    1.217,  # bm25
    1.146,  # overlap
    0.182,  # cue
    -0.138,  # cue_named
    -0.831,  # missing_kind
    1.703,  # covered
    0.718,  # heading_terms
    0.385,  # heading_grams
    0.757,  # title_terms
    0.478,  # digest
    -0.149,  # steps
    -0.253,  # local_rule
    0.389,  # preamble
    1.298,  # rest_terms
    0.967,  # rest_grams
    0.000,  # example
    0.000,  # example_vote
)
#: How many of the hand-set formula's best candidates the model reorders (the rest follow in their order).
POOL = 12


def logit(features: Sequence[float], weights: Sequence[float] = WEIGHTS) -> float:
    return sum(w * f for w, f in zip(weights, features, strict=True))


def fit(
    questions: Sequence[tuple[Sequence[Sequence[float]], Sequence[bool]]],
    l2: float = 0.01,
    steps: int = 600,
    rate: float = 0.5,
) -> list[float]:
    """Weights maximising the log-probability of a right candidate among each question's candidates (a softmax
    over them), with an L2 penalty. ``questions``: per question, each candidate's features and whether it is a
    right answer; questions without a right candidate among them teach nothing and are skipped. Plain gradient
    ascent with a step halved when the objective falls (a few hundred questions: well under a minute)."""

    usable = [(rows, right) for rows, right in questions if any(right) and len(rows) > 1]
    n = len(FEATURES)
    weights = [0.0] * n

    def objective_and_gradient(w: list[float]) -> tuple[float, list[float]]:
        total = -l2 * sum(x * x for x in w) * len(usable) / 2
        grad = [-l2 * x * len(usable) for x in w]
        for rows, right in usable:
            z = [logit(r, w) for r in rows]
            top = max(z)
            e = [math.exp(x - top) for x in z]
            s = sum(e)
            good = sum(x for x, ok in zip(e, right, strict=True) if ok)
            total += math.log(good / s)
            for k in range(n):
                expect_all = sum(x * r[k] for x, r in zip(e, rows, strict=True)) / s
                expect_good = sum(x * r[k] for x, r, ok in zip(e, rows, right, strict=True) if ok) / good
                grad[k] += expect_good - expect_all
        return total, grad

    value, grad = objective_and_gradient(weights)
    for _step in range(steps):
        trial = [w + rate * g / len(usable) for w, g in zip(weights, grad, strict=True)]
        trial_value, trial_grad = objective_and_gradient(trial)
        if trial_value >= value:
            weights, value, grad = trial, trial_value, trial_grad
            rate *= 1.1
        else:
            rate /= 2
            if rate < 1e-6:
                break
    return weights
