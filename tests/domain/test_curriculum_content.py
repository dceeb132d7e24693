"""The bundled curriculum's content, held to the rules of issue 3.

Every check reads data/curriculum.json (the only source of the curriculum) and
must be able to fail: none of them merely repeats a count from the file.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import urlparse

import pytest

from mlpath.domain.curriculum import TRACKS, Curriculum, bundled_path, parse
from mlpath.domain.planner import Profile, make_plan

# The learner's own plan: phase weeks at 10-12 h/week (issue 14, section 6), on every track.
PHASE_BANDS = {
    "math": (80, 120),  # 8-10 weeks
    "programming": (60, 96),  # 6-8 weeks
    "classical-ml": (100, 144),  # 10-12 weeks
    "deep-learning": (120, 168),  # 12-14 weeks
    "advanced": (80, 120),  # 8-10 weeks
}
TOTAL_BAND = (440, 648)  # 44-54 weeks at 10-12 h/week
MAX_TOPIC_HOURS = 12

COURSE_ISBN = "9780137903245"  # The Essential Machine Learning Foundation (lesson list unverified)
BOOK_ISBN = "9781835884447"  # Generative AI with Python and PyTorch, 2nd ed.
# The book's chapters as listed in shared/RESOURCES.md, in the "Chapter N: Title" form the curriculum uses.
BOOK_CHAPTERS = [
    'An Introduction to Generative AI: "Drawing" Data from Models',
    "Building Blocks of Deep Neural Networks",
    "The Rise of Methods for Text Generation",
    "NLP 2.0: Using Transformers to Generate Text",
    "Foundations of LLMs",
    "Open Source LLMs",
    "Prompt Engineering",
    "LLM Toolbox/Ecosystem",
    "LLM Optimisation Techniques",
    "Emerging Applications in Generative AI",
    "Neural Networks Using VAEs",
    "Image Generation with GANs",
    "Style Transfer with GANs",
    "Deepfakes with GANs",
    "Diffusion Models and AI Art",
]
BOOK_SECTIONS = {f"Chapter {n}: {title}" for n, title in enumerate(BOOK_CHAPTERS, start=1)}

NOT_CHECKABLE = re.compile(r"^(understand|learn|know|be familiar)\b", re.IGNORECASE)
RESOURCE_KEYS = ("title", "url", "kind", "section", "free")

# Every line of the learner's request and of the two plans in shared/seed (copied
# from the seed file), each mapped to key phrases that must each appear
# (case-insensitive) in the title, summary or objectives of some topic.
COVERAGE: dict[str, list[str]] = {
    # --- the request
    "linear regression, logistic regression, neural networks, decision trees, clustering, and anomaly detection": [
        "linear regression",
        "logistic regression",
        "neural network",
        "decision tree",
        "clustering",
        "anomaly detection",
    ],
    "bias/variance, cost functions, regularization, optimization algorithms, and error analysis": [
        "bias-variance",
        "cost function",
        "regularization",
        "optimization algorithms",
        "error analysis",
    ],
    "Basics of neural networks": ["basics of neural networks"],
    "practical skills for making them work (such as hyperparameter tuning)": [
        "hyperparameter tuning"
    ],
    "convolutional networks": ["convolutional networks"],
    "sequence models": ["sequence models"],
    "transformers": ["transformer"],
    "Linear algebra (vectors, matrices, and various manipulations of them)": [
        "linear algebra",
        "vector",
        "matrices",
    ],
    "discrete and continuous probability": ["discrete", "continuous probability"],
    "standard probability distributions": ["standard probability distributions"],
    "basic rules such as independence and Bayes’ rule": ["independence", "bayes' rule"],
    "hypothesis testing": ["hypothesis testing"],
    "Exploratory data analysis (EDA) — using visualizations and other methods to systematically explore a dataset": [
        "exploratory data analysis",
        "systematically explore a dataset",
    ],
    "EDA  useful in data-centric AI development, where analyzing errors and gaining insights can drive progress": [
        "data-centric ai development",
        "analyzing errors and gaining insights",
        "drive progress",
    ],
    "Understanding of calculus will help": ["calculus"],
    "TensorFlow or PyTorch, and scikit-learn": ["tensorflow", "pytorch", "scikit-learn"],
    # --- the five-phase plan
    "Phase 1: Mathematical Foundations": ["linear algebra", "calculus", "probability"],
    "Linear Algebra Essentials": ["linear algebra"],
    "Vectors and vector operations": ["vector operations"],
    "Matrices and matrix operations": ["matrix operations"],
    "Linear transformations": ["linear transformation"],
    "Eigenvalues and eigenvectors": ["eigenvalues", "eigenvectors"],
    "Matrix decomposition": ["matrix decomposition"],
    "Calculus Fundamentals": ["calculus"],
    "Derivatives and partial derivatives": ["derivatives and partial derivatives"],
    "Chain rule": ["chain rule"],
    "Gradient descent intuition": ["gradient descent intuition"],
    "Multivariate calculus basics": ["multivariate calculus basics"],
    "Optimization concepts": ["optimization concepts"],
    "Probability and Statistics": ["probability and statistics"],
    "Probability basics and axioms": ["probability basics and axioms"],
    "Discrete and continuous distributions": ["discrete and continuous distributions"],
    "Conditional probability": ["conditional probability"],
    "Bayes' theorem": ["bayes' theorem"],
    "Random variables": ["random variables"],
    "Statistical inference": ["statistical inference"],
    "Hypothesis testing": ["hypothesis testing"],
    "Confidence intervals": ["confidence intervals"],
    "Phase 2: Programming and Data Analysis": ["python", "exploratory data analysis"],
    "Python Programming": ["python programming"],
    "Python basics": ["python basics"],
    "NumPy for numerical computing": ["numpy for numerical computing"],
    "Pandas for data manipulation": ["pandas for data manipulation"],
    "Matplotlib and Seaborn for visualization": ["matplotlib and seaborn for visualization"],
    "Exploratory Data Analysis (EDA)": ["exploratory data analysis (eda)"],
    "Data cleaning and preprocessing": ["data cleaning and preprocessing"],
    "Statistical summaries": ["statistical summaries"],
    "Visualization techniques": ["visualization techniques"],
    "Feature engineering basics": ["feature engineering basics"],
    "Correlation analysis": ["correlation analysis"],
    "Outlier detection": ["outlier detection"],
    "Missing data handling": ["missing data handling"],
    "Phase 3: Classical Machine Learning": ["classical ml"],
    "Machine Learning Fundamentals": ["supervised learning", "overfitting"],
    "Supervised vs unsupervised learning": ["supervised vs unsupervised learning"],
    "Training, validation, and test sets": ["training, validation and test sets"],
    "Cross-validation": ["cross-validation"],
    "Bias-variance tradeoff": ["bias-variance tradeoff"],
    "Overfitting and underfitting": ["overfitting and underfitting"],
    "Model evaluation metrics": ["model evaluation metrics"],
    "Basic Models": ["linear regression", "logistic regression", "decision tree"],
    "Linear regression": ["linear regression"],
    "Regularization techniques (L1, L2)": ["regularization techniques (l1, l2)"],
    "Logistic regression": ["logistic regression"],
    "Decision trees": ["decision trees"],
    "Random forests": ["random forests"],
    "Unsupervised Learning": ["unsupervised learning"],
    "K-means clustering": ["k-means clustering"],
    "Hierarchical clustering": ["hierarchical clustering"],
    "Dimensionality reduction (PCA)": ["dimensionality reduction (pca)"],
    "Anomaly detection algorithms": ["anomaly detection algorithms"],
    "ML Engineering with scikit-learn": ["scikit-learn workflow", "pipeline"],
    "scikit-learn workflow": ["scikit-learn workflow"],
    "Model selection": ["model selection"],
    "Pipeline building": ["pipeline building"],
    "Feature scaling and preprocessing": ["feature scaling and preprocessing"],
    "Model persistence": ["model persistence"],
    "Phase 4: Deep Learning": ["deep learning"],
    "Neural Network Basics": ["basics of neural networks"],
    "Perceptrons and activation functions": ["perceptrons and activation functions"],
    "Backpropagation": ["backpropagation"],
    "Loss functions": ["loss functions"],
    "Optimization algorithms": ["optimization algorithms"],
    "Regularization techniques": ["regularization techniques"],
    "Deep Learning Frameworks": ["pytorch", "tensorflow"],
    "PyTorch basics": ["pytorch basics"],
    "TensorFlow basics": ["tensorflow basics"],
    "Model building": ["model building"],
    "Training loops": ["training loops"],
    "GPU acceleration": ["gpu acceleration"],
    "Advanced Neural Networks": [
        "convolutional neural networks",
        "recurrent neural networks",
        "attention",
    ],
    "Convolutional Neural Networks (CNNs)": ["convolutional neural networks (cnns)"],
    "Recurrent Neural Networks (RNNs)": ["recurrent neural networks (rnns)"],
    "LSTM and GRU": ["lstm and gru"],
    "Attention mechanisms": ["attention mechanisms"],
    "Transformers architecture": ["transformers architecture"],
    "Deep Learning Practice": ["best practices"],
    "Hyperparameter tuning": ["hyperparameter tuning"],
    "Learning rate scheduling": ["learning rate scheduling"],
    "Batch normalization": ["batch normalization"],
    "Dropout": ["dropout"],
    "Transfer learning": ["transfer learning"],
    "Model deployment basics": ["model deployment basics"],
    "Phase 5: Advanced Topics and Practice": ["error analysis", "mlops", "project"],
    "Advanced Model Analysis": ["error analysis", "model interpretation"],
    "Error analysis": ["error analysis"],
    "Model interpretation": ["model interpretation"],
    "Debugging ML models": ["debugging ml models"],
    "Performance optimization": ["performance optimization"],
    "MLOps Basics": ["mlops"],
    "Model versioning": ["model versioning"],
    "Experiment tracking": ["experiment tracking"],
    "Model serving": ["model serving"],
    "Monitoring and maintenance": ["monitoring and maintenance"],
    "Real-world Projects": ["real-world project"],
    "End-to-end implementation": ["end-to-end implementation"],
    "Dataset curation": ["dataset curation"],
    "Model selection and evaluation": ["model selection and evaluation"],
    "Production considerations": ["production considerations"],
    # --- Option 2
    "Mathematical Foundations": ["linear algebra", "probability", "calculus"],
    "Linear Algebra (vectors, matrices, operations)": ["linear algebra", "vector", "matri"],
    "Probability & Statistics (discrete/continuous distributions, Bayes’ rule, hypothesis testing)": [
        "probability and statistics",
        "discrete",
        "continuous distributions",
        "bayes' rule",
        "hypothesis testing",
    ],
    "Calculus (concept of derivatives, gradients, optimization basics)": [
        "derivative",
        "gradient",
        "optimization basics",
    ],
    "Techniques for visualizing and summarizing data": [
        "techniques for visualizing and summarizing data"
    ],
    "Identifying patterns, distributions, and potential issues in datasets": [
        "patterns, distributions and potential issues"
    ],
    "Core Machine Learning Concepts": ["bias-variance", "cost function", "regularization"],
    "Bias/Variance trade-off": ["bias-variance"],
    "Cost functions and loss functions": ["cost functions and loss functions"],
    "Optimization algorithms (e.g. gradient descent)": [
        "optimization algorithms",
        "gradient descent",
    ],
    "Error analysis and performance metrics": ["error analysis and performance metrics"],
    "Classical Machine Learning Models": ["linear regression", "decision tree", "clustering"],
    "Clustering (e.g., k-means)": ["clustering", "k-means"],
    "Anomaly Detection": ["anomaly detection"],
    "Deep Learning Foundations": ["neural network", "backpropagation"],
    "Basics of Neural Networks (layers, activations, forward/backpropagation)": [
        "basics of neural networks",
        "layers",
        "activation",
        "forward pass",
        "backpropagation",
    ],
    "Hyperparameter tuning and best practices": ["hyperparameter tuning", "best practices"],
    "Advanced Deep Learning Architectures": ["convolutional", "sequence models", "transformer"],
    "Sequence Models (RNNs, LSTMs)": ["sequence models", "rnn", "lstm"],
    "Transformers": ["transformer"],
    "Tools and Frameworks": ["scikit-learn", "pytorch", "tensorflow"],
    "scikit-learn for classical ML tasks": ["scikit-learn", "for classical ml tasks"],
    "TensorFlow or PyTorch for deep learning models": ["tensorflow", "pytorch", "deep learning"],
}

# Real prerequisites named in the issue: each must be reachable through prerequisites.
REAL_PREREQUISITES = {
    "backpropagation": {"chain-rule", "matrices"},
    "logistic-regression": {"gradient-descent", "probability-basics"},
    "transformers": {"attention-mechanisms"},
    "attention-mechanisms": {"recurrent-networks", "loss-functions"},  # sequence models; softmax
}


@cache
def raw_doc() -> dict[str, Any]:
    return json.loads(bundled_path().read_text(encoding="utf-8"))


@cache
def curriculum() -> Curriculum:
    return parse(bundled_path().read_bytes(), str(bundled_path()))


def raw_topics() -> list[dict[str, Any]]:
    return raw_doc()["topics"]


def ancestors(c: Curriculum, topic_id: str) -> set[str]:
    seen: set[str] = set()
    stack = list(c.by_id[topic_id].prerequisites)
    while stack:
        p = stack.pop()
        if p not in seen:
            seen.add(p)
            stack.extend(c.by_id[p].prerequisites)
    return seen


def norm(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").lower()


def topic_texts() -> list[str]:
    return [norm(" ".join([t.title, t.summary, *t.objectives])) for t in curriculum().topics]


def track_totals(track: str) -> dict[str, float]:
    totals = {p.id: 0.0 for p in curriculum().phases}
    for t in curriculum().topics:
        if t.in_track(track) and not t.optional:
            totals[t.phase] += t.hours
    return totals


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text.strip()))


# --------------------------------------------------------------------- validity


def test_bundled_file_parses_and_validates() -> None:
    c = curriculum()  # raises CurriculumError listing every problem
    assert {t.phase for t in c.topics} == set(PHASE_BANDS), (
        "topics must use exactly the five phases"
    )
    assert [p.id for p in c.phases] == list(PHASE_BANDS), "phases in the learner's order"


def test_no_redundant_edges() -> None:
    c = curriculum()
    redundant = [
        f"{t.id} -> {p} (already implied via {q})"
        for t in c.topics
        for p in t.prerequisites
        for q in t.prerequisites
        if q != p and p in ancestors(c, q)
    ]
    assert redundant == []


@pytest.mark.parametrize("topic_id", sorted(REAL_PREREQUISITES))
def test_real_prerequisites_are_reachable(topic_id: str) -> None:
    missing = REAL_PREREQUISITES[topic_id] - ancestors(curriculum(), topic_id)
    assert not missing, f"{topic_id} must (transitively) require {sorted(missing)}"


def test_renamed_map_never_points_at_missing_topics() -> None:
    c = curriculum()
    for old, new in c.renamed.items():
        assert c.canonical_id(old) in c.by_id, f"renamed {old} -> {new} leads nowhere"
        assert old not in c.by_id


# ------------------------------------------------------------------- each topic


@pytest.mark.parametrize("topic", raw_topics(), ids=lambda t: t["id"])
def test_topic_is_complete(topic: dict[str, Any]) -> None:
    assert 2 <= sentences(topic["summary"]) <= 3, "summary must be 2-3 sentences"
    objectives = topic["objectives"]
    assert 3 <= len(objectives) <= 6, "3-6 objectives"
    assert len(set(objectives)) == len(objectives), "objectives repeat"
    for objective in objectives:
        assert not NOT_CHECKABLE.match(objective.strip()), f"not a checkable ability: {objective!r}"
    assert 0 < topic["hours"] <= MAX_TOPIC_HOURS, f"split topics over {MAX_TOPIC_HOURS} h"
    free = [r for r in topic["resources"] if r.get("free") is True]
    assert len(free) >= 2, "at least two free resources"


@pytest.mark.parametrize("topic", raw_topics(), ids=lambda t: t["id"])
def test_resources_are_fully_described(topic: dict[str, Any]) -> None:
    urls = [r["url"] for r in topic["resources"]]
    for r in topic["resources"]:
        missing = [k for k in RESOURCE_KEYS if k not in r]
        assert not missing, f"resource {r.get('url')} lacks {missing}"
        assert r["title"].strip() and r["kind"].strip()
        assert r["section"] is None or (isinstance(r["section"], str) and r["section"].strip())
        assert isinstance(r["free"], bool)
    duplicates = {(r["url"], r["section"]) for r in topic["resources"]}
    assert len(duplicates) == len(urls), "the same resource section is cited twice"


def all_resources() -> list[tuple[str, dict[str, Any]]]:
    return [(t["id"], r) for t in raw_topics() for r in t["resources"]]


def test_course_is_cited_without_lesson_numbers() -> None:
    course = [(tid, r) for tid, r in all_resources() if COURSE_ISBN in r["url"]]
    assert course, "the learner's course must be cited where it covers a topic"
    bad = [tid for tid, r in course if r["section"] is not None or r["free"]]
    assert bad == [], "the course's lesson list is unverified: no section, and it is paid"


def test_book_sections_are_verified_chapter_titles() -> None:
    book = [(tid, r) for tid, r in all_resources() if BOOK_ISBN in r["url"]]
    assert book, "the learner's book must be cited where it covers a topic"
    bad = [
        (tid, r["section"])
        for tid, r in book
        if r["section"] is not None and r["section"] not in BOOK_SECTIONS
    ]
    assert bad == []
    assert not any(r["free"] for _, r in book)


def test_every_url_is_well_formed_https() -> None:
    bad = []
    for tid, r in all_resources():
        url = r["url"]
        parts = urlparse(url)
        if (
            parts.scheme != "https"
            or not parts.netloc
            or "." not in parts.netloc
            or re.search(r"\s", url)
        ):
            bad.append((tid, url))
    assert bad == []


# ------------------------------------------------------------------------ hours


@pytest.mark.parametrize("track", TRACKS)
def test_phase_totals_fit_the_learners_weeks(track: str) -> None:
    totals = track_totals(track)
    for phase, (low, high) in PHASE_BANDS.items():
        assert low <= totals[phase] <= high, (
            f"{track}: {phase} has {totals[phase]} h, band {low}-{high}"
        )
    assert TOTAL_BAND[0] <= sum(totals.values()) <= TOTAL_BAND[1]


# ----------------------------------------------------------------------- tracks


@pytest.mark.parametrize("track", TRACKS)
def test_each_track_is_plannable(track: str) -> None:
    c = curriculum()
    on_track = {t.id for t in c.topics if t.in_track(track)}
    assert any(c.by_id[t].track == track for t in on_track), f"no {track} topics"
    profile = Profile(
        hours_per_week=10, start=date(2025, 1, 6), goals=tuple(sorted(on_track)), track=track
    )
    plan = make_plan(c, profile)
    assert set(plan.topics) == on_track
    position = {tid: i for i, tid in enumerate(plan.topics)}
    for tid in plan.topics:
        topic = c.by_id[tid]
        assert topic.track in (None, track), f"{tid} belongs to another track"
        for p in topic.prerequisites:
            if c.by_id[p].in_track(track):
                assert position[p] < position[tid], f"{p} must come before {tid}"


def test_framework_topics_never_require_the_other_track() -> None:
    c = curriculum()
    for t in c.topics:
        if t.track:
            for p in ancestors(c, t.id):
                assert c.by_id[p].track in (None, t.track), f"{t.id} ({t.track}) needs {p}"


def test_shared_topics_are_reachable_on_both_tracks() -> None:
    """A shared topic needing framework topics must have a way in on every track."""
    c = curriculum()
    for t in c.topics:
        if t.track is None:
            framework = [p for p in t.prerequisites if c.by_id[p].track]
            if framework:
                assert {c.by_id[p].track for p in framework} == set(TRACKS), (
                    f"{t.id} requires framework topics of only one track: {framework}"
                )


# --------------------------------------------------------------------- coverage


@pytest.mark.parametrize("line", sorted(COVERAGE))
def test_every_line_of_the_request_is_covered_by_name(line: str) -> None:
    texts = topic_texts()
    missing = [
        phrase for phrase in COVERAGE[line] if not any(norm(phrase) in text for text in texts)
    ]
    assert not missing, f"{line!r}: no topic names {missing}"
