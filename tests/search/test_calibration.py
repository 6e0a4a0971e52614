"""The detection benchmarks' calibration figure (tests/perf/search_quality.py), on hand-made
pairs: a wrong bin, edge or error would misreport how far a repeat score can be read as a
probability."""

from datetime import datetime

import pytest

from tests.perf.search_quality import Label, calibration, calibration_figures


def test_bins_count_mean_and_share_right():
    pairs = [(0.05, False), (0.15, False), (0.85, True), (0.95, True), (1.0, False)]
    figures = calibration(pairs)
    bins = [(b["low"], b["count"], b["mean_score"], b["observed"]) for b in figures["bins"]]
    assert bins == [
        (0.0, 1, 0.05, 0.0),
        (0.1, 1, 0.15, 0.0),
        (0.8, 1, 0.85, 1.0),
        (0.9, 2, pytest.approx(0.975), 0.5),  # 1.0 in the top bin
    ]
    # |0.05-0| + |0.15-0| + |0.85-1| + 2·|0.975-0.5|, over 5
    assert figures["ece"] == pytest.approx((0.05 + 0.15 + 0.15 + 0.95) / 5)
    assert figures["brier"] == pytest.approx((0.05**2 + 0.15**2 + 0.15**2 + 0.05**2 + 1) / 5)


def test_a_confident_wrong_score_is_an_error_a_hedged_one_is_not():
    overconfident = calibration([(0.9, True), (0.9, False)])
    hedged = calibration([(0.5, True), (0.5, False)])
    assert overconfident["ece"] == pytest.approx(0.4)
    assert hedged["ece"] == pytest.approx(0.0)
    assert overconfident["brier"] == pytest.approx(0.41)
    assert hedged["brier"] == pytest.approx(0.25)


def test_nothing_retrieved_is_no_figure():
    figures = calibration([])
    assert figures["count"] == 0 and figures["bins"] == []
    assert figures["ece"] != figures["ece"]  # nan, not a perfect 0


def _label(pid, day, person, matter):
    return Label(pid, datetime(2026, 1, day), person, matter, None, "first", True)


def test_right_is_an_earlier_petition_on_the_matter_or_by_the_person():
    labels = [
        _label("a", 1, "p1", "m1"),
        _label("b", 2, "p2", "m2"),  # another person, another matter
        _label("c", 3, "p1", "m3"),  # a's person, another matter
        _label("d", 4, "p3", "m1"),  # a's matter, another person
    ]
    found = [[], ["a"], ["a", "b"], ["a", "b", "c"]]
    scores = [[], [0.2], [0.9, 0.6], [0.7, 0.4, 0.1]]
    figures = calibration_figures(labels, found, scores, threshold=0.5)
    every = {b["low"]: (b["count"], b["observed"]) for b in figures["all"]["bins"]}
    assert every == {0.1: (1, 0.0), 0.2: (1, 0.0), 0.4: (1, 0.0), 0.6: (1, 0.0),
                     0.7: (1, 1.0), 0.9: (1, 1.0)}  # fmt: skip
    shown = {b["low"]: b["count"] for b in figures["shown"]["bins"]}
    assert shown == {0.6: 1, 0.7: 1, 0.9: 1}
