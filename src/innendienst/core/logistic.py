"""Logistic regression and its measures, for the models learned from won and lost records (the
lead score, the offers' win probability).

L2-regularised maximum likelihood by Newton's method (iteratively reweighted least squares)
with NumPy: a few dozen features and a few hundred thousand rows converge in a handful of
steps of a small linear system; the penalty keeps a feature that never occurs at 0 and
separation finite. The intercept is not penalised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

L2_PENALTY = 1.0
NEWTON_STEPS = 50
NEWTON_TOLERANCE = 1e-8


@dataclass(frozen=True)
class Fit:
    intercept: float
    coefficients: np.ndarray


def sigmoid(log_odds: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -35.0, 35.0)))


def fit(features: np.ndarray, won: np.ndarray, penalty: float = L2_PENALTY) -> Fit:
    """Maximum penalised likelihood by Newton's method; the intercept is not penalised."""
    rows, width = features.shape
    design = np.hstack([np.ones((rows, 1)), features])
    ridge = np.full(width + 1, penalty)
    ridge[0] = 0.0
    rate = min(max(won.mean(), 1e-6), 1 - 1e-6)
    beta = np.zeros(width + 1)
    beta[0] = np.log(rate / (1 - rate))
    for _step in range(NEWTON_STEPS):
        probability = sigmoid(design @ beta)
        gradient = design.T @ (won - probability) - ridge * beta
        weight = probability * (1 - probability)
        hessian = (design * weight[:, None]).T @ design + np.diag(ridge)
        # A tiny ridge on the intercept too, so that a degenerate sample cannot make it singular.
        move = np.linalg.solve(hessian + 1e-9 * np.eye(width + 1), gradient)
        beta += move
        if np.max(np.abs(move)) < NEWTON_TOLERANCE:
            break
    return Fit(intercept=float(beta[0]), coefficients=beta[1:].copy())


def predict(features: np.ndarray, model: Fit) -> np.ndarray:
    return sigmoid(model.intercept + features @ model.coefficients)


def auc(scores: np.ndarray, won: np.ndarray) -> float:
    """The area under the ROC curve: the chance that a won record scores above a lost one,
    ties counting half (Mann–Whitney with average ranks)."""
    positives = int(won.sum())
    negatives = len(won) - positives
    if not positives or not negatives:
        return 0.5
    _values, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    average_rank = ends - (counts - 1) / 2.0
    ranks = average_rank[inverse]
    return float(
        (ranks[won == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives)
    )


def brier(probabilities: np.ndarray, won: np.ndarray) -> float:
    """The mean squared difference of the predicted probability and the outcome (0 is
    perfect; always saying the base rate r scores r(1 − r))."""
    if not len(won):
        return 0.0
    return float(np.mean((probabilities - won) ** 2))


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    predicted: float  # the mean predicted probability in the bin
    observed: float  # the share won


def reliability(probabilities: np.ndarray, won: np.ndarray, bins: int = 10) -> list[ReliabilityBin]:
    """Predicted against observed, in bins of equal width: a calibrated model's bins lie on
    the diagonal."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(probabilities, edges[1:-1]), 0, bins - 1)
    table = []
    for number in range(bins):
        members = index == number
        count = int(members.sum())
        if not count:
            continue
        table.append(
            ReliabilityBin(
                low=float(edges[number]),
                high=float(edges[number + 1]),
                count=count,
                predicted=float(probabilities[members].mean()),
                observed=float(won[members].mean()),
            )
        )
    return table


def stratified_split(won: np.ndarray, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, holdout) row indices with the share of won records the same in both."""
    rng = np.random.default_rng(seed)
    holdout = []
    for outcome in (0.0, 1.0):
        rows = np.flatnonzero(won == outcome)
        rng.shuffle(rows)
        holdout.append(rows[: round(len(rows) * share)])
    held = np.zeros(len(won), dtype=bool)
    held[np.concatenate(holdout)] = True
    return np.flatnonzero(~held), np.flatnonzero(held)
