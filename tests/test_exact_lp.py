"""The exact LP solver against textbook programs with published optima and against scipy's HiGHS in floats."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from gametheory_ukraine.core.errors import SolverError
from gametheory_ukraine.solvers.exact_lp import check_certificate, linprog_exact


def test_chvatal_first_example():
    # Chvátal (1983), Linear Programming, ch. 2: max 5x1 + 4x2 + 3x3 s.t. 2x1 + 3x2 + x3 <= 5,
    # 4x1 + x2 + 2x3 <= 11, 3x1 + 4x2 + 2x3 <= 8, x >= 0: optimum 13 at x = (2, 0, 1), and the dual (1, 0, 1)
    # (by hand: the dual is feasible, 1*(2,3,1) + 1*(3,4,2) = (5,7,3) >= (5,4,3), and 5*1 + 8*1 = 13).
    c, A, b = [5, 4, 3], [[2, 3, 1], [4, 1, 2], [3, 4, 2]], [5, 11, 8]
    res = linprog_exact(c, A, b)
    assert res.status == "optimal" and res.exact
    assert res.x == (2, 0, 1) and res.value == 13 and all(isinstance(v, F) for v in res.x)
    assert res.dual_ub == (1, 0, 1)
    assert check_certificate(res, c, A, b) == ""


def test_beale_cycling_example_ends_with_blands_rule():
    # Beale (1955), "Cycling in the dual simplex algorithm": Dantzig's largest-coefficient rule cycles on
    # max 3/4 x1 - 20 x2 + 1/2 x3 - 6 x4 s.t. 1/4 x1 - 8 x2 - x3 + 9 x4 <= 0, 1/2 x1 - 12 x2 - 1/2 x3 + 3 x4 <= 0,
    # x3 <= 1; the optimum is 5/4 at x = (1, 0, 1, 0) (Chvátal 1983, ch. 3).
    c = [F(3, 4), -20, F(1, 2), -6]
    A = [[F(1, 4), -8, -1, 9], [F(1, 2), -12, F(-1, 2), 3], [0, 0, 1, 0]]
    res = linprog_exact(c, A, [0, 0, 1])
    assert res.status == "optimal" and res.value == F(5, 4) and res.x == (1, 0, 1, 0)


def test_infeasible_and_unbounded_certificates():
    # x1 + x2 <= 1 and x1 + x2 >= 3 (as -x1 - x2 <= -3) cannot both hold: a Farkas vector proves it
    res = linprog_exact([1, 1], [[1, 1], [-1, -1]], [1, -3])
    assert res.status == "infeasible" and res.x is None
    y = res.dual_ub
    assert all(v >= 0 for v in y) and y[0] - y[1] >= 0 and y[0] * 1 + y[1] * (-3) < 0
    # max x1 s.t. x1 - x2 <= 1: unbounded along a ray with x2 growing with x1
    res = linprog_exact([1, 0], [[1, -1]], [1])
    assert res.status == "unbounded" and res.value is None
    d = res.ray
    assert d[0] > 0 and d[0] - d[1] <= 0 and min(d) >= 0


def test_equalities_with_negative_right_hand_sides_and_a_redundant_row():
    # max -x1 - x2 s.t. -x1 - x2 = -2, -2x1 - 2x2 = -4 (redundant), x1 <= 3: optimum -2 (by hand)
    res = linprog_exact([-1, -1], [[1, 0]], [3], [[-1, -1], [-2, -2]], [-2, -4])
    assert res.status == "optimal" and res.value == -2 and sum(res.x) == 2
    assert check_certificate(res, [-1, -1], [[1, 0]], [3], [[-1, -1], [-2, -2]], [-2, -4]) == ""


small = st.integers(-6, 6)


@st.composite
def programs(draw):
    n = draw(st.integers(1, 5))
    mu, me = draw(st.integers(0, 5)), draw(st.integers(0, 2))
    c = draw(st.lists(small, min_size=n, max_size=n))
    aub = [draw(st.lists(small, min_size=n, max_size=n)) for _ in range(mu)]
    bub = draw(st.lists(st.integers(-3, 9), min_size=mu, max_size=mu))
    aeq = [draw(st.lists(small, min_size=n, max_size=n)) for _ in range(me)]
    beq = draw(st.lists(st.integers(-3, 4), min_size=me, max_size=me))
    return c, aub, bub, aeq, beq


@settings(max_examples=150, deadline=None)
@given(programs())
def test_agrees_with_scipy_highs_on_random_programs(lp):
    c, aub, bub, aeq, beq = lp
    res = linprog_exact(c, aub or None, bub or None, aeq or None, beq or None)
    constraints = dict(A_ub=np.array(aub, dtype=float) if aub else None, b_ub=bub or None,
                       A_eq=np.array(aeq, dtype=float) if aeq else None, b_eq=beq or None, bounds=(0, None),
                       method="highs")
    ref = linprog(-np.array(c, dtype=float), **constraints)
    expected = {0: "optimal", 2: "infeasible", 3: "unbounded"}[ref.status]
    if expected == "infeasible" and linprog(np.zeros(len(c)), **constraints).status == 0:
        # HiGHS's presolve (scipy 1.17.1) calls some unbounded programs infeasible, e.g. max x2 subject to
        # -x1 - x2 + x4 <= 1, x1 + x2 - x4 <= 0, x >= 0 (feasible at 0, unbounded along (0, 1, 0, 1)); the same
        # solver on the zero objective finds a feasible point, so the program is unbounded
        expected = "unbounded"
    assert res.status == expected
    if res.status == "optimal":
        assert float(res.value) == pytest.approx(-ref.fun, abs=1e-7)
    assert check_certificate(res, c, aub, bub, aeq, beq) == ""


def test_an_unbounded_program_highs_presolve_calls_infeasible():
    """The counterexample hypothesis found: feasible at 0, unbounded along d = (0, 1, 0, 1) (A d = 0, c.d = 1)."""
    c, aub, bub = [0, 1, 0, 0], [[-1, -1, 0, 1], [1, 1, 0, -1]], [1, 0]
    res = linprog_exact(c, aub, bub)
    assert res.status == "unbounded" and check_certificate(res, c, aub, bub, [], []) == ""


def test_bad_input_and_budget():
    with pytest.raises(SolverError, match="not a number"):
        linprog_exact([1, "x"])
    with pytest.raises(SolverError, match="has 1 entries, the objective 2"):
        linprog_exact([1, 1], [[1]], [1])
    with pytest.raises(SolverError, match="2 entries for 1 constraint rows"):
        linprog_exact([1], [[1]], [1, 2])
    with pytest.raises(SolverError, match=r"--max-work \d+"):
        linprog_exact([1] * 10, [[1] * 10] * 10, [1] * 10, max_work=50)
    with pytest.raises(SolverError, match="passed the budget"):
        linprog_exact([5, 4, 3], [[2, 3, 1], [4, 1, 2], [3, 4, 2]], [5, 11, 8], max_work=30)
    with pytest.raises(SolverError, match="whole number"):
        linprog_exact([1], max_work=0)
