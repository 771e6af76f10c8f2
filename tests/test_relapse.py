"""The relapse formulas against LITERATURE.md and hand derivations."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory_ukraine.analysis import relapse


def test_base_rates_from_literature():
    # LITERATURE.md: F = 0.40 within N = 10 years -> rho ~ 0.050/yr; F = 0.50 within 5 -> ~ 0.129/yr
    assert relapse.rho_from_base_rate(0.40, 10) == pytest.approx(0.0498, abs=5e-5)
    assert relapse.rho_from_base_rate(0.50, 5) == pytest.approx(0.1294, abs=5e-5)
    # Walter (1999): 9 of 17 settlements returned to war; over (say) 5 years
    assert relapse.survival(relapse.rho_from_base_rate(9 / 17, 5), 5) == pytest.approx(8 / 17)
    with pytest.raises(ValueError):
        relapse.rho_from_base_rate(1.0, 5)


def test_grim_trigger_threshold_literature():
    assert relapse.grim_trigger_threshold(5, 3, 1) == 0.5


def test_settlement_value_is_the_sum_of_the_series():
    # V = sum_t (delta(1-rho))^t [s + delta*rho*W'] : check against a long truncated series
    s, w, rho, delta = 0.4, 2.0, 0.1, 0.9
    series = sum((delta * (1 - rho)) ** t * (s + delta * rho * w) for t in range(2000))
    assert relapse.settlement_value(s, w, rho, delta) == pytest.approx(series, rel=1e-12)


def test_signing_condition_matches_design():
    # signing iff V >= W0  <=>  s >= (1-delta) W0 + delta rho (W0 - W')   (DESIGN.md section 5)
    s_, w0, w1, r, d = sympy.symbols("s W0 W1 rho delta", positive=True)
    lhs = relapse.settlement_value(s_, w1, r, d) - w0
    threshold = relapse.signing_threshold(w0, w1, r, d)
    # V - W0 = (s - threshold) / (1 - delta(1 - rho)), so the signs agree
    assert sympy.simplify(lhs - (s_ - threshold) / (1 - d * (1 - r))) == 0
    # when the war after collapse equals today's war, rho cancels from the threshold
    assert sympy.simplify(relapse.signing_threshold(w0, w0, r, d) - (1 - d) * w0) == 0


@settings(max_examples=200, deadline=None)
@given(st.fractions(0, 1), st.fractions(-5, 5), st.fractions(0, 1), st.fractions(0, F(99, 100)))
def test_exact_in_exact_out_and_bounds(s, w, rho, delta):
    v = relapse.settlement_value(s, w, rho, delta)
    assert isinstance(v, F)
    # V = [(1-delta) * s/(1-delta) + delta*rho * W'] / [(1-delta) + delta*rho]: a weighted average of the
    # never-collapsing settlement s/(1-delta) and the war after collapse W', so it lies between them
    lo, hi = sorted([s / (1 - delta), w])
    assert lo <= v <= hi


def test_vectorised():
    rho = np.linspace(0.01, 0.5, 5)
    v = relapse.settlement_value(0.5, 1.0, rho, 0.9)
    assert v.shape == (5,)
    # the settlement stream is worth 0.5/(1-0.9) = 5 > W' = 1, so V falls as rho grows: from 5 towards 1.4
    assert np.all(np.diff(v) < 0)
    assert relapse.settlement_value(0.5, 1.0, 0.0, 0.9) == pytest.approx(5.0)
    assert relapse.expected_duration(rho)[0] == pytest.approx(100)
