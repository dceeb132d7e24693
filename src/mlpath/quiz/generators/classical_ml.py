"""Generators of the classical-ML phase: losses, metrics, trees, neighbours, clusters, PCA."""

from __future__ import annotations

import math
import random
from fractions import Fraction

from mlpath.quiz.generators import Instance, fmt, generator, single_from
from mlpath.quiz.generators._math_common import _n


def _show(xs: list[int] | list[float]) -> str:
    return "(" + ", ".join(fmt(x) for x in xs) + ")"


@generator("mse-mae")
def mse_mae(rng: random.Random) -> Instance:
    y = [rng.randint(0, 9) for _ in range(4)]
    p = [v + rng.choice([-3, -2, -1, 0, 1, 2, 3]) for v in y]
    while p == y:
        p = [v + rng.choice([-2, -1, 1, 2]) for v in y]
    errors = [a - b for a, b in zip(p, y, strict=True)]
    which = rng.choice(["MSE", "MAE", "RMSE"])
    mse = sum(e * e for e in errors) / 4
    value = {"MSE": mse, "MAE": sum(abs(e) for e in errors) / 4, "RMSE": math.sqrt(mse)}[which]
    return _n(
        f"Targets y = {_show(y)} and predictions ŷ = {_show(p)}. What is the {which}? "
        "Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Errors ŷ − y = {_show(errors)}; MSE averages their squares ({fmt(mse)}), "
        f"MAE their absolute values, RMSE = √MSE. {which} = {value:.3f}.",
    )


@generator("r-squared")
def r_squared(rng: random.Random) -> Instance:
    ss_tot = rng.choice([200, 400, 500, 800, 1000])
    ss_res = rng.randint(1, ss_tot // 10 * 9)
    value = 1 - ss_res / ss_tot
    return _n(
        f"A regression model leaves a residual sum of squares of {ss_res}; the total sum of "
        f"squares around the mean is {ss_tot}. What is R²? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"R² = 1 − SS_res/SS_tot = 1 − {ss_res}/{ss_tot} = {value:.3f}: the share of "
        "the target's variance the model explains.",
    )


@generator("f1-score")
def f1_score(rng: random.Random) -> Instance:
    tp, fp, fn = rng.randint(5, 60), rng.randint(1, 40), rng.randint(1, 40)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    value = 2 * tp / (2 * tp + fp + fn)
    return _n(
        f"A classifier has TP = {tp}, FP = {fp} and FN = {fn}. What is its F1 score? "
        "Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"precision = {precision:.3f}, recall = {recall:.3f}; F1 is their harmonic "
        f"mean 2PR/(P + R) = 2TP/(2TP + FP + FN) = {value:.3f}.",
    )


@generator("accuracy-imbalanced")
def accuracy_imbalanced(rng: random.Random) -> Instance:
    n = rng.choice([1000, 2000, 5000, 10000])
    pos = rng.choice([1, 2, 3, 5]) * n // 100
    value = 100 * (n - pos) / n
    return _n(
        f"A test set has {n} examples, {pos} of them positive. What accuracy, in percent, does a "
        "model get that always predicts negative? Give 1 decimal.",
        value,
        decimals=1,
        explanation=f"It is right on all {n - pos} negatives: {value:.1f}% accuracy with a recall "
        "of 0, which is why accuracy misleads on imbalanced data.",
    )


@generator("gini-impurity")
def gini_impurity(rng: random.Random) -> Instance:
    counts = [rng.randint(1, 12) for _ in range(rng.choice([2, 3]))]
    n = sum(counts)
    value = 1 - sum((c / n) ** 2 for c in counts)
    return _n(
        f"A tree node holds {n} samples with class counts {_show(counts)}. What is its Gini "
        "impurity? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Gini = 1 − Σ pₖ² = 1 − ({' + '.join(f'({c}/{n})²' for c in counts)}) = "
        f"{value:.3f}.",
    )


@generator("weighted-gini-split")
def weighted_gini_split(rng: random.Random) -> Instance:
    left = (rng.randint(0, 8), rng.randint(0, 8))
    right = (rng.randint(0, 8), rng.randint(0, 8))
    while sum(left) == 0 or sum(right) == 0:
        left, right = (rng.randint(1, 8), rng.randint(0, 8)), (rng.randint(0, 8), rng.randint(1, 8))

    def gini(a: int, b: int) -> float:
        n = a + b
        return 1 - (a / n) ** 2 - (b / n) ** 2

    n_l, n_r = sum(left), sum(right)
    value = (n_l * gini(*left) + n_r * gini(*right)) / (n_l + n_r)
    return _n(
        f"A split sends {left[0]} positive and {left[1]} negative samples left and {right[0]} "
        f"positive and {right[1]} negative right. What is the weighted Gini impurity of the "
        "children? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Each child's Gini is weighted by its share of the samples: "
        f"({n_l}·{gini(*left):.3f} + {n_r}·{gini(*right):.3f})/{n_l + n_r} = {value:.3f}.",
    )


@generator("knn-vote")
def knn_vote(rng: random.Random) -> Instance:
    q = (rng.randint(0, 5), rng.randint(0, 5))
    labels = ["A", "B"]
    while True:
        pts = [((rng.randint(0, 9), rng.randint(0, 9)), rng.choice(labels)) for _ in range(6)]
        d = sorted((math.dist(p, q), lab) for p, lab in pts)
        dists = [x for x, _ in d]
        if len(set(dists[:4])) == 4 and dists[2] < dists[3]:  # no ties around the 3rd neighbour
            break
    votes = [lab for _, lab in d[:3]]
    key = max(labels, key=votes.count)
    listing = ", ".join(f"{p} {lab}" for p, lab in pts)
    return single_from(
        rng,
        f"Training points (x, y) with labels: {listing}. With k = 3 and Euclidean distance, "
        f"how is the query point {q} classified?",
        key=key,
        distractors=["A", "B"],
        explanation=f"The 3 nearest points have labels {', '.join(votes)} (distances "
        f"{', '.join(f'{x:.2f}' for x in dists[:3])}); the majority is {key}.",
    )


@generator("naive-bayes-score")
def naive_bayes_score(rng: random.Random) -> Instance:
    prior = rng.choice([Fraction(1, 4), Fraction(1, 3), Fraction(2, 5), Fraction(1, 2)])
    pw_spam = [rng.choice([Fraction(k, 10) for k in (3, 4, 5, 6, 7)]) for _ in range(2)]
    pw_ham = [rng.choice([Fraction(k, 10) for k in (1, 2, 3)]) for _ in range(2)]
    s = prior * pw_spam[0] * pw_spam[1]
    h = (1 - prior) * pw_ham[0] * pw_ham[1]
    value = float(s / (s + h))
    return _n(
        f"P(spam) = {float(prior):g}. P('free' | spam) = {float(pw_spam[0]):g}, P('win' | spam) = "
        f"{float(pw_spam[1]):g}; P('free' | ham) = {float(pw_ham[0]):g}, P('win' | ham) = "
        f"{float(pw_ham[1]):g}. Assuming the words are conditionally independent given the class, "
        "what is P(spam | 'free' and 'win')? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"spam score {float(prior):g}·{float(pw_spam[0]):g}·{float(pw_spam[1]):g} = "
        f"{float(s):.4f}; ham score {float(1 - prior):g}·{float(pw_ham[0]):g}·"
        f"{float(pw_ham[1]):g} = {float(h):.4f}; normalise: {value:.3f}.",
    )


@generator("laplace-smoothing")
def laplace_smoothing(rng: random.Random) -> Instance:
    count, total, vocab = (
        rng.randint(0, 5),
        rng.choice([50, 80, 100, 120]),
        rng.choice([20, 30, 50]),
    )
    value = (count + 1) / (total + vocab)
    return _n(
        f"In spam training messages the word 'invoice' appears {count} times among {total} word "
        f"occurrences, with a vocabulary of {vocab} words. With add-one (Laplace) smoothing, "
        "what is P('invoice' | spam)? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"(count + 1)/(total + V) = ({count} + 1)/({total} + {vocab}) = {value:.4f}; "
        "without smoothing a zero count would make the whole product 0.",
    )


@generator("hinge-loss")
def hinge_loss(rng: random.Random) -> Instance:
    y = rng.choice([-1, 1])
    score = rng.choice([-2, -1.5, -1, -0.5, 0, 0.25, 0.5, 0.8, 1, 1.5, 2.5])
    value = max(0.0, 1 - y * score)
    return _n(
        f"A linear SVM scores an example f(x) = {fmt(score)}; its true label is y = {y}. What is "
        "its hinge loss max(0, 1 − y·f(x))? Give 2 decimals.",
        value,
        decimals=2,
        explanation=f"y·f(x) = {fmt(y * score)}; the loss is max(0, 1 − {fmt(y * score)}) = "
        f"{fmt(value)}. Only points inside the margin or misclassified (y·f(x) < 1) cost anything.",
    )


@generator("kmeans-assign")
def kmeans_assign(rng: random.Random) -> Instance:
    while True:
        cents = [(rng.randint(0, 9), rng.randint(0, 9)) for _ in range(3)]
        p = (rng.randint(0, 9), rng.randint(0, 9))
        d = [math.dist(p, c) for c in cents]
        if len(set(cents)) == 3 and sorted(d)[0] < sorted(d)[1] - 0.1:
            break
    best = d.index(min(d))
    names = ["C1", "C2", "C3"]
    return single_from(
        rng,
        f"k-means centroids are C1 = {cents[0]}, C2 = {cents[1]} and C3 = {cents[2]}. To which "
        f"cluster does the assignment step send the point {p}?",
        key=names[best],
        distractors=names,
        explanation="Each point goes to its nearest centroid: distances "
        + ", ".join(f"{n} {x:.2f}" for n, x in zip(names, d, strict=True))
        + f", so {names[best]}.",
    )


@generator("centroid-update")
def centroid_update(rng: random.Random) -> Instance:
    pts = [(rng.randint(0, 9), rng.randint(0, 9)) for _ in range(rng.choice([2, 3, 4]))]
    axis = rng.choice(["x", "y"])
    i = 0 if axis == "x" else 1
    value = sum(p[i] for p in pts) / len(pts)
    return _n(
        f"A cluster holds the points {', '.join(map(str, pts))}. What is the {axis}-coordinate of "
        "its new centroid after the update step? Give 2 decimals.",
        value,
        decimals=2,
        explanation=f"The update step moves the centroid to the mean of its points: {value:.2f}.",
    )


@generator("explained-variance")
def explained_variance(rng: random.Random) -> Instance:
    eig = sorted(rng.sample(range(1, 30), 4), reverse=True)
    k = rng.choice([1, 2, 3])
    value = sum(eig[:k]) / sum(eig)
    return _n(
        f"The covariance matrix of centred data has eigenvalues {', '.join(map(str, eig))}. What "
        f"fraction of the variance do the first {k} principal components explain? "
        "Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Each eigenvalue is the variance along its component: "
        f"{' + '.join(map(str, eig[:k]))} over {sum(eig)} = {value:.3f}.",
    )


@generator("gaussian-density")
def gaussian_density(rng: random.Random) -> Instance:
    mu, sigma = rng.choice([0, 5, 10]), rng.choice([1, 2, 4])
    x = mu + rng.choice([-3, -2, -1, 0, 1, 2, 3]) * sigma
    value = math.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi))
    return _n(
        f"A feature is modelled as Gaussian with mean {mu} and standard deviation {sigma}. What "
        f"is the density p(x) at x = {x}? Give 4 decimals.",
        value,
        decimals=4,
        explanation=f"p(x) = exp(−(x − μ)²/(2σ²))/(σ√(2π)) = {value:.4f}; with ε above this value "
        "the point would be flagged as an anomaly.",
    )


@generator("cost-threshold")
def cost_threshold(rng: random.Random) -> Instance:
    c_fp, c_fn = rng.choice([1, 2, 5]), rng.choice([10, 20, 50, 100])
    value = c_fp / (c_fp + c_fn)
    return _n(
        f"A false positive costs {c_fp} and a false negative costs {c_fn}. With calibrated "
        "probabilities p, above which threshold should you predict positive to minimise the "
        "expected cost? Give 3 decimals.",
        value,
        decimals=3,
        explanation=f"Predict positive when the expected cost of saying no, p·{c_fn}, exceeds that "
        f"of saying yes, (1 − p)·{c_fp}: p > {c_fp}/({c_fp} + {c_fn}) = {value:.3f}.",
    )


@generator("boosting-residual")
def boosting_residual(rng: random.Random) -> Instance:
    y, f0 = rng.randint(5, 30), rng.randint(5, 30)
    tree = (y - f0) + rng.choice([-2, -1, 0, 1, 2])
    lr = rng.choice([0.1, 0.5, 1.0])
    value = f0 + lr * tree
    return _n(
        f"Gradient boosting for squared error: an example has target {y} and current prediction "
        f"{f0}. The next tree, fitted to the residuals, predicts {tree} for it. With learning rate "
        f"{lr}, what is the new prediction? Give 1 decimal.",
        value,
        decimals=1,
        explanation=f"The residual is {y} − {f0} = {y - f0}; the model adds lr × the tree's output: "
        f"{f0} + {lr}·{tree} = {value:.1f}.",
    )


@generator("kfold-sizes")
def kfold_sizes(rng: random.Random) -> Instance:
    k = rng.choice([4, 5, 10])
    n = k * rng.randint(10, 60)
    which = rng.choice(["validation", "training"])
    value = n // k if which == "validation" else n - n // k
    return _n(
        f"{k}-fold cross-validation on {n} examples: how many examples are in each fold's "
        f"{which} part?",
        value,
        decimals=0,
        explanation=f"Each fold holds out n/k = {n // k} for validation and trains on the other "
        f"{n - n // k}; every example is held out exactly once.",
    )
