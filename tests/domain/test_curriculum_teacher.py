"""The bundled curriculum read as a teacher reads it (issue 14).

Every check reads data/curriculum.json and can fail: the prerequisite table names what each
topic's own objectives use; the order checks run the real planner on the bundled file.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlpath.domain.curriculum import TRACKS, Curriculum, Topic, bundled_path, parse
from mlpath.domain.planner import Plan, Profile, make_plan
from mlpath.domain.progress import derive
from mlpath.domain.report import orphaned_progress
from mlpath.store.file import Store

START = date(2026, 11, 24)
MATH = "math"

# (topic, needs, because of the topic's objective or summary): each pair must hold through
# prerequisites, directly or transitively, on every track where both topics exist.
TEACHER: list[tuple[str, str, str]] = [
    # --- math
    ("matrices", "vectors", "multiply a matrix by a vector"),
    ("linear-systems", "matrices", "solve A x = b, inverse of a 2x2 matrix"),
    ("eigenvalues-eigenvectors", "linear-transformations", "solve det(A - lambda I) = 0"),
    ("eigenvalues-eigenvectors", "linear-systems", "solve (A - lambda I) v = 0"),
    ("eigenvalues-eigenvectors", "numpy-basics", "numpy.linalg.eig"),
    ("matrix-decompositions", "linear-systems", "read the rank from the singular values"),
    ("integrals", "derivatives", "fundamental theorem of calculus"),
    (
        "partial-derivatives-gradients",
        "vectors",
        "the gradient of f(w) with respect to the vector w",
    ),
    ("partial-derivatives-gradients", "numpy-basics", "central-difference gradient check in NumPy"),
    ("chain-rule", "derivatives", "derivative of the sigmoid"),
    ("multivariate-calculus", "matrices", "Jacobian of f(x) = A x + b"),
    ("multivariate-calculus", "eigenvalues-eigenvectors", "Hessian eigenvalues classify a point"),
    ("optimization-basics", "multivariate-calculus", "convexity from the Hessian"),
    ("bayes-theorem", "conditional-probability-independence", "derive Bayes from the product rule"),
    ("random-variables", "probability-basics", "sample spaces and events"),
    ("continuous-distributions", "integrals", "area under the density; mean by integration"),
    ("joint-distributions-covariance", "matrices", "build a covariance matrix"),
    ("joint-distributions-covariance", "conditional-probability-independence", "conditionals"),
    ("information-theory", "discrete-distributions", "entropy of a discrete distribution"),
    ("information-theory", "conditional-probability-independence", "conditional entropy"),
    ("probability-by-simulation", "numpy-basics", "Monte Carlo simulation with NumPy"),
    ("probability-by-simulation", "continuous-distributions", "compare with a normal distribution"),
    ("statistical-inference", "derivatives", "derive a maximum likelihood estimate"),
    ("statistical-inference", "probability-by-simulation", "show by simulation that it is biased"),
    ("confidence-intervals", "statistical-inference", "standard error of a mean"),
    ("hypothesis-testing", "numpy-basics", "permutation test in NumPy"),
    # --- programming and EDA
    ("python-functions-modules", "python-basics", "functions that process lists of records"),
    ("python-environments", "python-functions-modules", "install and import packages"),
    ("git-version-control", "python-environments", ".gitignore the virtual environment"),
    ("numpy-basics", "python-basics", "replace an explicit Python loop"),
    ("pandas-basics", "python-functions-modules", "load a CSV file"),
    ("statistical-summaries", "random-variables", "standard deviation and z-scores"),
    ("statistical-summaries", "pandas-data-wrangling", "summarize per category with groupby"),
    ("missing-data", "data-visualization", "visualize the missingness pattern"),
    ("outlier-detection", "continuous-distributions", "flag outliers with z-scores"),
    ("outlier-detection", "data-visualization", "box plots and scatter plots"),
    ("correlation-analysis", "joint-distributions-covariance", "Pearson correlation"),
    ("feature-engineering", "statistical-summaries", "quantile buckets, skewed variables"),
    ("exploratory-data-analysis", "missing-data", "checklist: missing values"),
    ("exploratory-data-analysis", "outlier-detection", "checklist: outliers"),
    # --- classical ML
    ("supervised-vs-unsupervised", "pandas-basics", "X and y in a table"),
    ("train-validation-test", "statistical-summaries", "leakage of preprocessing statistics"),
    ("sklearn-workflow", "train-validation-test", "split into training and test sets"),
    ("cost-functions", "information-theory", "log loss is a cross-entropy"),
    ("cost-functions", "data-visualization", "plot J(w, b) against w"),
    ("gradient-descent", "optimization-basics", "gradient descent intuition, convexity"),
    ("gradient-descent", "partial-derivatives-gradients", "derive w := w - alpha * dJ/dw"),
    ("linear-regression", "linear-systems", "least squares with numpy.linalg.lstsq"),
    ("linear-regression", "sklearn-workflow", "match scikit-learn's LinearRegression"),
    ("linear-regression", "matrices", "predictions as X @ w"),
    ("feature-scaling", "gradient-descent", "fewer iterations on standardized features"),
    ("feature-scaling", "missing-data", "SimpleImputer and missing-value indicators"),
    ("feature-scaling", "feature-engineering", "encode categorical features"),
    ("stochastic-gradient-descent", "linear-regression", "mini-batch SGD for linear regression"),
    ("logistic-regression", "chain-rule", "gradient of the log loss through the sigmoid"),
    ("logistic-regression", "discrete-distributions", "class probabilities (Bernoulli)"),
    ("evaluation-metrics", "bayes-theorem", "precision and base rates"),
    ("evaluation-metrics", "logistic-regression", "thresholds on predicted probabilities"),
    ("cross-validation", "evaluation-metrics", "mean and standard deviation of a score"),
    ("bias-variance", "statistical-inference", "bias and variance of an estimator"),
    ("bias-variance", "cross-validation", "learning_curve cross-validates"),
    ("regularization", "cross-validation", "RidgeCV and LassoCV"),
    ("regularization", "feature-scaling", "standardize features before a penalty"),
    ("error-analysis", "bias-variance", "avoidable bias and variance"),
    ("error-analysis", "evaluation-metrics", "multiclass confusion matrix"),
    ("data-centric-eda", "error-analysis", "plot a model's validation errors"),
    ("data-centric-eda", "exploratory-data-analysis", "turn EDA findings into data fixes"),
    ("k-nearest-neighbours", "vectors", "Euclidean distances"),
    ("k-nearest-neighbours", "feature-scaling", "an unscaled feature dominates distances"),
    ("k-nearest-neighbours", "cross-validation", "choose k with cross-validation"),
    ("naive-bayes", "bayes-theorem", "classify a message with Bayes' theorem"),
    ("naive-bayes", "continuous-distributions", "GaussianNB on numeric features"),
    ("naive-bayes", "logistic-regression", "compare with logistic regression"),
    ("decision-trees", "information-theory", "entropy and information gain"),
    ("decision-trees", "sklearn-workflow", "DecisionTreeClassifier, plot_tree"),
    ("random-forests", "confidence-intervals", "bootstrap samples (taught with the bootstrap)"),
    ("random-forests", "decision-trees", "averages many decision trees"),
    ("gradient-boosting", "random-forests", "contrast boosting with bagging"),
    ("gradient-boosting", "gradient-descent", "trees fitted to the negative gradients"),
    ("support-vector-machines", "optimization-basics", "Lagrange multipliers of the dual"),
    ("support-vector-machines", "model-selection", "tune C and gamma with GridSearchCV"),
    ("support-vector-machines", "feature-scaling", "a pipeline with StandardScaler"),
    ("class-imbalance", "k-nearest-neighbours", "SMOTE interpolates between neighbours"),
    ("class-imbalance", "sklearn-pipelines", "resample inside the training folds only"),
    ("class-imbalance", "evaluation-metrics", "precision, recall and average precision"),
    ("sklearn-pipelines", "cross-validation", "scaling inside a pipeline during CV"),
    ("model-selection", "hypothesis-testing", "compare two model families on identical splits"),
    ("model-selection", "regularization", "validation curve for a regularization parameter"),
    ("model-persistence", "sklearn-pipelines", "save a fitted pipeline"),
    ("k-means", "vectors", "distances to the nearest centroid"),
    ("k-means", "feature-scaling", "an unscaled feature distorts k-means"),
    ("hierarchical-clustering", "k-means", "compare with k-means"),
    ("pca", "matrix-decompositions", "check against the SVD"),
    ("pca", "eigenvalues-eigenvectors", "eigen-decomposition of the covariance matrix"),
    ("pca", "joint-distributions-covariance", "the covariance matrix"),
    ("anomaly-detection", "k-nearest-neighbours", "LocalOutlierFactor"),
    ("anomaly-detection", "evaluation-metrics", "choose epsilon by the F1 score"),
    ("anomaly-detection", "continuous-distributions", "a per-feature Gaussian density"),
    ("anomaly-detection", "outlier-detection", "outlier versus novelty detection"),
    # --- deep learning
    ("perceptrons-activations", "logistic-regression", "a sigmoid neuron is logistic regression"),
    ("mlp-forward-pass", "matrices", "forward pass as matrix operations"),
    ("loss-functions", "information-theory", "softmax cross-entropy"),
    ("loss-functions", "chain-rule", "gradient with respect to the logits"),
    ("backpropagation", "chain-rule", "backward pass through the graph"),
    ("backpropagation", "matrices", "backward pass in matrix form"),
    ("backpropagation", "partial-derivatives-gradients", "finite-difference gradient check"),
    ("vanishing-gradients-initialization", "random-variables", "variance of initial weights"),
    ("optimizers", "stochastic-gradient-descent", "SGD with momentum"),
    ("pytorch-basics", "python-functions-modules", "subclass nn.Module"),
    ("pytorch-basics", "backpropagation", "check autograd against your own gradient"),
    ("tensorflow-basics", "backpropagation", "check GradientTape against your own gradient"),
    ("pytorch-training", "overfitting-underfitting", "read the training and validation curves"),
    ("keras-training", "overfitting-underfitting", "read the History curves"),
    ("gpu-acceleration", "python-environments", "switch a hosted notebook to a GPU"),
    ("dl-regularization", "regularization", "weight decay as an L2 penalty"),
    ("batch-normalization", "vanishing-gradients-initialization", "signal scales across layers"),
    ("hyperparameter-tuning", "model-selection", "never tune on the test set"),
    ("hyperparameter-tuning", "learning-rate-scheduling", "learning rate on a log scale"),
    ("convolutional-networks", "mlp-forward-pass", "compare with a dense layer and an MLP"),
    ("cnn-architectures", "batch-normalization", "ResNet blocks use batch normalization"),
    ("transfer-learning", "cnn-architectures", "pretrained backbones from a model zoo"),
    ("sequence-data-embeddings", "information-theory", "perplexity"),
    ("sequence-data-embeddings", "vectors", "cosine similarity"),
    ("recurrent-networks", "vanishing-gradients-initialization", "gradient clipping, BPTT"),
    ("attention-mechanisms", "loss-functions", "softmax-weighted average"),
    ("attention-mechanisms", "recurrent-networks", "Bahdanau attention for an RNN encoder"),
    ("transformers", "batch-normalization", "layer normalization"),
    ("transformers", "cnn-architectures", "residual connections"),
    ("transformers", "dl-regularization", "dropout"),
    ("transformers", "learning-rate-scheduling", "learning-rate warm-up"),
    ("transformers", "attention-mechanisms", "multi-head self-attention"),
    ("model-deployment-basics", "pytorch-save-export", "an exported ONNX model"),
    ("model-deployment-basics", "keras-save-export", "a TensorFlow SavedModel"),
    ("pretrained-transformers", "transformers", "decoder-only models"),
    ("pretrained-transformers", "transfer-learning", "fine-tuning a pretrained model"),
    ("variational-autoencoders", "information-theory", "the KL term of the loss"),
    ("variational-autoencoders", "joint-distributions-covariance", "a Gaussian encoder"),
    ("gans", "convolutional-networks", "transposed convolutions"),
    ("gans", "batch-normalization", "a DCGAN-style generator"),
    ("diffusion-models", "variational-autoencoders", "latent diffusion"),
    ("diffusion-models", "continuous-distributions", "Gaussian noise"),
    # --- advanced practice
    ("model-interpretation", "random-forests", "impurity-based importance"),
    ("model-interpretation", "feature-scaling", "standardized coefficients"),
    ("debugging-ml-models", "python-functions-modules", "unit tests with pytest"),
    ("debugging-ml-models", "loss-functions", "initial loss ln(C)"),
    ("debugging-ml-models", "error-analysis", "when a model underperforms"),
    ("performance-optimization", "gpu-acceleration", "mixed precision on a GPU"),
    ("experiment-tracking", "git-version-control", "record the git commit"),
    ("model-versioning", "git-version-control", "DVC alongside git"),
    ("model-versioning", "model-persistence", "saved model files"),
    ("docker-basics", "python-environments", "pinned Python dependencies"),
    ("model-serving", "docker-basics", "package the service in a Docker image"),
    ("model-serving", "model-deployment-basics", "a prediction function that validates input"),
    ("monitoring-maintenance", "hypothesis-testing", "Kolmogorov-Smirnov and chi-squared tests"),
    ("production-considerations", "monitoring-maintenance", "rollback and monitoring checks"),
    ("data-centric-ai", "cross-validation", "out-of-fold predicted probabilities"),
    ("data-centric-ai", "data-centric-eda", "EDA plots decide which data to fix"),
    ("dataset-curation", "train-validation-test", "grouped or time-based splits"),
    ("project-scoping-data", "exploratory-data-analysis", "perform EDA"),
    ("project-scoping-data", "experiment-tracking", "a tracked, reproducible run"),
    ("project-model-selection", "confidence-intervals", "metrics with confidence intervals"),
    ("project-model-selection", "model-interpretation", "permutation importance or SHAP"),
    ("end-to-end-project", "model-serving", "a containerized API"),
    ("end-to-end-project", "monitoring-maintenance", "drift monitoring"),
]

# The essentials that issue 14 found missing: each has its own topic, named as the issue names it.
ESSENTIALS = {
    "integrals": ["integral", "area under"],
    "gradient-boosting": ["gradient boosting"],
    "support-vector-machines": ["support vector", "lagrange"],
    "k-nearest-neighbours": ["nearest"],
    "naive-bayes": ["naive bayes"],
    "class-imbalance": ["class_weight", "smote", "threshold"],
    "information-theory": ["entropy", "cross-entropy", "kl divergence"],
    "git-version-control": ["git"],
    "docker-basics": ["docker"],
}
OPTIONAL = {"pretrained-transformers", "variational-autoencoders", "gans", "diffusion-models"}

# Topic ids shipped before curriculum v2 (issue 14): a store written with them loses nothing.
V1_IDS = [
    "vectors",
    "matrices",
    "linear-systems",
    "linear-transformations",
    "eigenvalues-eigenvectors",
    "matrix-decompositions",
    "derivatives",
    "partial-derivatives-gradients",
    "chain-rule",
    "multivariate-calculus",
    "optimization-basics",
    "probability-basics",
    "conditional-probability-independence",
    "bayes-theorem",
    "random-variables",
    "discrete-distributions",
    "continuous-distributions",
    "joint-distributions-covariance",
    "probability-by-simulation",
    "statistical-inference",
    "confidence-intervals",
    "hypothesis-testing",
    "python-basics",
    "python-environments",
    "numpy-basics",
    "pandas-basics",
    "pandas-data-wrangling",
    "data-visualization",
    "statistical-summaries",
    "data-cleaning",
    "missing-data",
    "outlier-detection",
    "correlation-analysis",
    "feature-engineering",
    "exploratory-data-analysis",
    "data-centric-eda",
    "supervised-vs-unsupervised",
    "train-validation-test",
    "cost-functions",
    "gradient-descent",
    "linear-regression",
    "stochastic-gradient-descent",
    "sklearn-workflow",
    "overfitting-underfitting",
    "bias-variance",
    "regularization",
    "logistic-regression",
    "evaluation-metrics",
    "cross-validation",
    "feature-scaling",
    "decision-trees",
    "random-forests",
    "k-means",
    "hierarchical-clustering",
    "pca",
    "anomaly-detection",
    "sklearn-pipelines",
    "model-selection",
    "model-persistence",
    "perceptrons-activations",
    "mlp-forward-pass",
    "loss-functions",
    "backpropagation",
    "vanishing-gradients-initialization",
    "optimizers",
    "pytorch-basics",
    "pytorch-training",
    "pytorch-save-export",
    "tensorflow-basics",
    "keras-training",
    "keras-save-export",
    "gpu-acceleration",
    "dl-regularization",
    "batch-normalization",
    "learning-rate-scheduling",
    "hyperparameter-tuning",
    "convolutional-networks",
    "cnn-architectures",
    "transfer-learning",
    "sequence-data-embeddings",
    "recurrent-networks",
    "lstm-gru",
    "attention-mechanisms",
    "transformers",
    "model-deployment-basics",
    "error-analysis",
    "data-centric-ai",
    "dataset-curation",
    "model-interpretation",
    "debugging-ml-models",
    "performance-optimization",
    "experiment-tracking",
    "model-versioning",
    "model-serving",
    "monitoring-maintenance",
    "production-considerations",
    "project-scoping-data",
    "project-model-selection",
    "end-to-end-project",
]


@cache
def curriculum() -> Curriculum:
    return parse(bundled_path().read_bytes(), str(bundled_path()))


def ancestors(c: Curriculum, tid: str, track: str) -> set[str]:
    """Everything ``tid`` needs on ``track`` (the other track's topics are ignored)."""
    seen: set[str] = set()
    stack = [tid]
    while stack:
        for p in c.by_id[stack.pop()].prerequisites:
            if p not in seen and c.by_id[p].in_track(track):
                seen.add(p)
                stack.append(p)
    return seen


@cache
def plan(track: str, strategy: str, goals: tuple[str, ...] = ()) -> Plan:
    return make_plan(curriculum(), Profile(10, START, goals, (), track, strategy))


def text(t: Topic) -> str:
    return " ".join([t.title, t.summary, *t.objectives]).lower().replace("\u2019", "'")


# --------------------------------------------------------------- the teacher's prerequisites


def test_the_table_is_large_and_covers_every_phase() -> None:
    c = curriculum()
    assert len(TEACHER) >= 60
    assert len(set(TEACHER)) == len(TEACHER), "a pair is listed twice"
    assert {c.by_id[t].phase for t, _, _ in TEACHER} == {p.id for p in c.phases}
    new = ESSENTIALS.keys() | OPTIONAL | {"python-functions-modules"}
    assert new <= {t for t, _, _ in TEACHER} | {n for _, n, _ in TEACHER}


@pytest.mark.parametrize(("topic", "needs", "because"), TEACHER, ids=lambda v: str(v)[:40])
def test_topic_reaches_what_its_objectives_use(topic: str, needs: str, because: str) -> None:
    c = curriculum()
    t, n = c.by_id[topic], c.by_id[needs]
    tracks = [tr for tr in TRACKS if t.in_track(tr) and n.in_track(tr)]
    assert tracks, f"{topic} and {needs} share no track"
    for track in tracks:
        assert needs in ancestors(c, topic, track), (
            f"{topic} needs {needs} ({because}) but does not reach it on the {track} track"
        )


def test_eda_topics_use_no_model_before_models_are_taught() -> None:
    """Issue 14, section 2: no scikit-learn, model or train/test split in the EDA phase."""
    used_early = re.compile(
        r"scikit-learn|sklearn|isolationforest|linear model|training data|train/test|"
        r"model's|predictions"
    )
    c = curriculum()
    early = [
        (t.id, o)
        for t in c.topics
        if t.phase == "programming"
        for o in t.objectives
        if used_early.search(o.lower())
    ]
    assert early == []


@pytest.mark.parametrize("topic_id", sorted(ESSENTIALS))
def test_the_missing_essentials_now_have_a_topic(topic_id: str) -> None:
    t = curriculum().by_id[topic_id]
    assert not t.optional
    missing = [w for w in ESSENTIALS[topic_id] if w not in text(t)]
    assert not missing, f"{topic_id} does not name {missing}"


def test_optional_topics_cite_the_learners_book_by_verified_chapters() -> None:
    for tid in OPTIONAL:
        t = curriculum().by_id[tid]
        assert t.optional
        chapters = [r.section for r in t.resources if "9781835884447" in r.url]
        assert chapters and all(ch and ch.startswith("Chapter ") for ch in chapters), tid
        assert sum(r.free for r in t.resources) >= 2


# ------------------------------------------------------------------------------ plan order


@pytest.mark.parametrize("track", TRACKS)
def test_error_analysis_comes_with_classical_ml_not_at_the_end(track: str) -> None:
    p = plan(track, "phases")
    c = curriculum()
    first_dl = min(i for i, t in enumerate(p.topics) if c.by_id[t].phase == "deep-learning")
    assert p.topics.index("error-analysis") < first_dl
    assert p.weeks_of("error-analysis")[0] <= 0.6 * len(p.weeks)


@pytest.mark.parametrize("strategy", ["phases", "just-in-time"])
@pytest.mark.parametrize("track", TRACKS)
def test_a_later_phase_comes_first_only_as_a_prerequisite(track: str, strategy: str) -> None:
    c = curriculum()
    p = plan(track, strategy)
    rank = c.phase_index
    ml = [t for t in p.topics if c.by_id[t].phase != MATH]
    for i, a in enumerate(ml):
        for b in ml[i + 1 :]:
            if rank[c.by_id[a].phase] > rank[c.by_id[b].phase]:
                assert a in ancestors(c, b, track), f"{a} comes before {b} without need"


@pytest.mark.parametrize("track", TRACKS)
def test_just_in_time_keeps_the_syllabus_and_brings_math_when_needed(track: str) -> None:
    c = curriculum()
    jit, phases = plan(track, "just-in-time"), plan(track, "phases")
    assert set(jit.topics) == set(phases.topics)
    ml = [t for t in jit.topics if c.by_id[t].phase != MATH]
    assert ml == [t for t in phases.topics if c.by_id[t].phase != MATH]
    order = list(jit.topics)
    for i, m in enumerate(order):
        if c.by_id[m].phase != MATH:
            continue
        later = [t for t in order[i + 1 :] if m in c.by_id[t].prerequisites]
        assert later, f"{m} is planned but nothing needs it"  # every math topic has a use here
        gap = order.index(later[0]) - i
        assert gap <= 4, f"{m} ends {gap} topics before {later[0]}, its first dependent"
        anchor = next(t for t in order[i + 1 :] if c.by_id[t].phase != MATH)
        assert m in ancestors(c, anchor, track), f"{m} arrives before {anchor}, which needs it not"


@pytest.mark.parametrize("track", TRACKS)
def test_just_in_time_reads_as_a_syllabus(track: str) -> None:
    """The order problems of issue 14, section 3."""
    order = list(plan(track, "just-in-time").topics)
    pos = order.index
    for early in ("cross-validation", "bias-variance", "regularization"):
        assert pos(early) < pos("transformers")
    assert pos("hypothesis-testing") < pos("model-selection") < pos("model-serving")
    first_dl = pos("perceptrons-activations")
    assert pos("decision-trees") < first_dl and pos("random-forests") < first_dl
    assert pos("vectors") > pos("python-basics"), "math no longer comes first"


# ------------------------------------------------------------------------ optional topics


@pytest.mark.parametrize("strategy", ["phases", "just-in-time"])
@pytest.mark.parametrize("track", TRACKS)
def test_default_plans_leave_the_optional_topics_out(track: str, strategy: str) -> None:
    topics = set(plan(track, strategy).topics)
    assert not topics & OPTIONAL
    assert {"transformers", "end-to-end-project"} <= topics


@pytest.mark.parametrize("track", TRACKS)
def test_a_goal_reaches_the_optional_generative_topics(track: str) -> None:
    c = curriculum()
    topics = set(plan(track, "phases", ("diffusion-models",)).topics)
    assert {"diffusion-models", "variational-autoencoders", "cnn-architectures"} <= topics
    assert not topics & {"gans", "pretrained-transformers", "end-to-end-project"}
    assert topics == {"diffusion-models"} | ancestors(c, "diffusion-models", track)


def test_plan_goal_on_the_command_line_reaches_diffusion(home: Path, runner: CliRunner) -> None:
    from mlpath.cli.app import app

    r = runner.invoke(app, ["plan", "--hours", "10", "--goal", "diffusion-models", "--json"])
    assert r.exit_code == 0, r.output
    topics = json.loads(r.stdout)["topics"]
    assert topics[-1] == "diffusion-models" and "variational-autoencoders" in topics


# ----------------------------------------------------------------- no learner loses progress


def test_every_id_shipped_before_v2_still_resolves() -> None:
    c = curriculum()
    assert len(V1_IDS) == 99
    for tid in V1_IDS:
        assert c.canonical_id(tid) in c.by_id, f"{tid} leads nowhere"
        assert c.find(tid).id == c.canonical_id(tid)


def test_a_store_written_with_the_old_ids_keeps_all_its_progress(
    home: Path, runner: CliRunner
) -> None:
    from mlpath.cli.app import app

    c = curriculum()
    labs = {t.id: t.lab for t in c.topics if t.lab}
    with Store(home).transaction() as data:
        for tid in V1_IDS:
            base = {"at": "2026-11-20T09:00:00+00:00", "topic": tid, "date": "2026-11-20"}
            data.events.append({"seq": len(data.events) + 1, "type": "log", **base, "hours": 0.5})
            data.events.append({"seq": len(data.events) + 1, "type": "done", **base})
            if tid in labs:
                data.events.append(
                    {
                        "seq": len(data.events) + 1,
                        "type": "lab",
                        **base,
                        "lab": labs[tid],
                        "status": "passed",
                    }
                )
    state = derive(Store(home).load().events, c.canonical_id)
    assert orphaned_progress(c, state) == {}
    assert set(state.done) == {c.canonical_id(t) for t in V1_IDS}
    assert sum(state.logged.values()) == pytest.approx(0.5 * len(V1_IDS))
    assert set(state.labs_passed) == {t for t in V1_IDS if t in labs}

    assert runner.invoke(app, ["plan", "--hours", "10"]).exit_code == 0
    report = json.loads(runner.invoke(app, ["report", "--json"]).stdout)
    assert report["orphaned_progress"] == {}
    listed = {
        t["id"]: t["status"] for t in json.loads(runner.invoke(app, ["topics", "--json"]).stdout)
    }
    old_on_track = {c.canonical_id(t) for t in V1_IDS} & {t.id for t in c.in_track("pytorch")}
    assert old_on_track <= set(listed)
    assert all(listed[t] == "done" for t in old_on_track)


# ------------------------------------------------------------------ docs and README agree


ROOT = Path(__file__).resolve().parents[2]


def phase_totals(track: str) -> dict[str, float]:
    totals = {p.id: 0.0 for p in curriculum().phases}
    for t in curriculum().in_track(track):
        if not t.optional:
            totals[t.phase] += t.hours
    return totals


def test_the_docs_give_each_phase_its_hours_band_and_basis() -> None:
    from .test_curriculum_content import PHASE_BANDS

    doc = (ROOT / "docs" / "curriculum.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([\w-]+)` \| (\d+)–(\d+) \| (\d+) \| (\d+) \| (.+) \|$", doc, re.M)
    assert {r[0] for r in rows} == set(PHASE_BANDS)
    for phase, low, high, torch_h, tf_h, basis in rows:
        assert (int(low), int(high)) == PHASE_BANDS[phase]
        assert int(torch_h) == phase_totals("pytorch")[phase]
        assert int(tf_h) == phase_totals("tensorflow")[phase]
        assert len(basis) > 80, f"{phase}: name the anchors of the estimate"
    total = round(sum(phase_totals("pytorch").values()))
    assert f"**{total} h**" in doc


def test_the_readme_plan_excerpt_is_what_the_tool_prints(
    home: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlpath.cli.app import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ mlpath plan --hours 10\n", 1)[1].split("```", 1)[0]
    shown = [line for line in block.splitlines() if line != "..."]
    monkeypatch.setenv("MLPATH_TODAY", "2026-11-24")
    monkeypatch.setenv("COLUMNS", "80")  # the README shows an 80-column terminal
    r = runner.invoke(app, ["plan", "--hours", "10"])
    assert r.exit_code == 0, r.output
    printed = [line.rstrip() for line in r.output.splitlines()]
    head = shown[:-1]
    assert printed[: len(head)] == head
    assert shown[-1] in printed
