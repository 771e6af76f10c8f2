"""The conditions under which a closed-form threshold's direction holds (signs of what it divides by).

A closed-form threshold x* is a root of an indifference condition D = N/M (a payoff difference, or a mixed
strategy's probability) in the varied parameter x. Solving D >= 0 for x divides by the slope of the
numerator at the root, N'(x*) (for the usual linear condition A*x + B, by A), and the sign of D also carries
the sign of the denominator M. Near the root

    sign D = sign(N'(x*) * M) * sign(x - x*),

so "the first action is preferred iff x > x*" holds exactly where N'(x*)*M > 0 and reverses where it is
negative; where it vanishes the formula is undefined (or the condition touches 0 without changing sign).
:func:`derive` factors N'(x*)*M with sympy into irreducible factors and turns each into a condition:

- a factor of odd multiplicity must keep its sign: ``"dp_belt + dp_erosion > 0"``;
- a factor of even multiplicity must not vanish: ``"g_T + pi*g_A != 0"``;
- the denominators of x* must not vanish and the radicands in it must be non-negative (same forms).

Each factor is written with sympy's sign normalisation (no leading minus) and given the sign it has at the
model's parameter defaults (the reference point; ``> 0`` when it vanishes there), so the conditions are
a property of the model's closed form and the same at every point at which they are evaluated. A condition
that holds on the whole declared parameter box (each parameter in its [low, high]), decided with interval
arithmetic (:class:`sympy.calculus.accumulationbounds.AccumBounds`, on the box and, if that is undecided, on
up to :data:`MAX_PIECES` pieces of it), is dropped; one that cannot be decided stays. The conditions are
sufficient, not necessary: two factors that both change sign leave the direction as it was.

At the evaluated point (the other parameters' values, x at the threshold) every condition is evaluated.
When all hold, the threshold's direction is the one stated where they hold. When one fails, the direction is
not reported as if it held: the direction at the point is derived from the sign of N'(x*)*M there (the
inequality solved for x flips with it), ``conditions_hold`` is false and the direction text names the
failing conditions and says whether the inequality is reversed with respect to where the conditions hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from sympy.calculus.accumulationbounds import AccumBounds

__all__ = ["Conditions", "derive", "on_box", "box_of", "MAX_PIECES"]

#: Most pieces the parameter box is cut into (halving the widest ranges) when interval arithmetic on the
#: whole box cannot decide the sign of a factor (interval arithmetic overestimates when a parameter occurs
#: several times).
MAX_PIECES = 16


@dataclass(frozen=True)
class Conditions:
    """What :func:`derive` finds for one closed-form threshold.

    Attributes
    ----------
    conditions : tuple of str
        sympy-printed conditions, e.g. ``("dp_belt + dp_erosion > 0",)``; empty when the direction holds on
        the whole box.
    failing : tuple of str
        Those of *conditions* that fail at the evaluated point.
    sign_above : int or None
        The sign (+1 or -1) of the indifference condition just above the threshold at the evaluated point;
        None when it does not change sign there (a tangency) or cannot be evaluated.
    reversed : bool
        Whether *sign_above* is the opposite of its sign where every condition holds.
    """

    conditions: tuple[str, ...]
    failing: tuple[str, ...]
    sign_above: int | None
    reversed: bool

    @property
    def hold(self) -> bool:
        """True if every condition holds at the evaluated point."""
        return not self.failing


def _bounds(expr, box: Mapping) -> object:
    """*expr* with each symbol replaced by its range (an AccumBounds, or a number for a fixed parameter)."""
    subs = {s: (AccumBounds(*box[s]) if box[s][0] < box[s][1] else box[s][0]) for s in expr.free_symbols}
    try:
        return expr.xreplace(subs)
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, NotImplementedError):
        return None


def _sign_of_bounds(value) -> int | None:
    """+1 or -1 if *value* (a number or AccumBounds) has one strict sign; 0 if it is exactly 0; else None."""
    try:
        if isinstance(value, AccumBounds):
            if value.min.is_extended_real and value.max.is_extended_real:
                if bool(value.min > 0):
                    return 1
                if bool(value.max < 0):
                    return -1
            return None
        if value is None or not value.is_number or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return None
        v = sp.N(value, 30)
        if not v.is_real:
            return None
        return 1 if v > 0 else -1 if v < 0 else 0
    except (TypeError, ValueError, AttributeError, NotImplementedError):
        return None


def on_box(expr, box: Mapping) -> int | None:
    """The sign (+1 or -1) *expr* has everywhere on *box*, or None when interval arithmetic cannot decide it.

    Parameters
    ----------
    expr : sympy expression
    box : mapping of sympy Symbol -> (low, high)
        sympy Rationals; every free symbol of *expr* must be in it.

    Examples
    --------
    >>> d, e = sp.symbols("d e")
    >>> box = {d: (sp.Rational(1, 2), sp.Rational(99, 100)), e: (sp.Rational(-1, 10), sp.Rational(1, 10))}
    >>> on_box(1 - d, box), on_box(d + e, box), on_box(e, box)
    (1, 1, None)
    """
    pieces = [dict(box)]
    wide = [s for s in expr.free_symbols if box[s][0] < box[s][1]]
    while True:
        signs = [_sign_of_bounds(_bounds(expr, piece)) for piece in pieces]
        if all(s == 1 for s in signs):
            return 1
        if all(s == -1 for s in signs):
            return -1
        if 0 in signs or (1 in signs and -1 in signs) or not wide or len(pieces) * 2 > MAX_PIECES:
            return None      # a zero or both signs occur for sure, or the pieces are used up
        new = []
        for piece in pieces:
            s = max(wide, key=lambda k: piece[k][1] - piece[k][0])
            lo, hi = piece[s]
            mid = (lo + hi) / 2
            new += [{**piece, s: (lo, mid)}, {**piece, s: (mid, hi)}]
        pieces = new


def _factors(expr) -> list[tuple[object, int]]:
    """Irreducible factors (with multiplicities) of the numerator and denominator of *expr*, its numeric
    coefficient (sign) among them; *expr* itself when sympy cannot factor it."""
    out: list[tuple[object, int]] = []
    num, den = sp.fraction(sp.together(expr))
    for part in (num, den):
        try:
            coeff, facs = sp.factor_list(part)
        except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
            coeff, facs = 1, [(part, 1)]
        if coeff != 1:
            out.append((coeff, 1))
        out += [(f, m) for f, m in facs if f != 1]
    return out


def _sign_factors(num, x, root) -> list[tuple[object, int]]:
    """Factors (with multiplicities) whose product has, near the root, the sign of N'(x*)*(x - x*)'s
    coefficient: each factor of *num* that vanishes at *root* is replaced by its derivative in *x* there
    (for the usual linear factor A*x + B, by A; a factor of even multiplicity, a tangency, is kept and
    gives no strict sign); the other factors, with *x* in them, are kept as they are (their sign at the
    threshold counts). When sympy cannot factor *num*, N'(x*) itself."""
    try:
        coeff, facs = sp.factor_list(num)
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
        coeff, facs = 1, None
    out: list[tuple[object, int]] = [(coeff, 1)]
    hit = False
    for g, m in facs or ():
        if x in g.free_symbols and m % 2 == 1 and sp.cancel(sp.together(g.xreplace({x: root}))) == 0:
            hit = True
            out += _factors(sp.diff(g, x).xreplace({x: root}))
        else:
            out.append((g, m))
    if not hit:
        return _factors(sp.diff(num, x).xreplace({x: root}))
    return out


def _normal(f):
    """*f* without a leading minus sign (sympy's normalisation)."""
    f = sp.expand(f) if f.is_Add else f
    return -f if f.could_extract_minus_sign() else f


def _pretty(f):
    """The shortest (by :func:`sympy.count_ops`) of *f* and, for a sum of more than three terms, *f*
    collected in each of its symbols with each coefficient factored (the same expression, shorter to read:
    ``-delta*q*(v - 1)*(g_A*pi + g_T) + (delta - 1)*(c_R - p + x)`` rather than its ten expanded terms)."""
    forms = [f]
    if f.is_Add and len(f.args) > 3:
        for s in sorted(f.free_symbols, key=lambda k: k.name):
            parts = sp.collect(f, s, evaluate=False)
            forms.append(sp.Add(*[sp.factor(v) * k for k, v in parts.items()]))
    return min(forms, key=sp.count_ops)


def _radicands(expr) -> list:
    return [p.base for p in expr.atoms(sp.Pow) if p.exp.is_Rational and not p.exp.is_Integer
            and p.base.free_symbols]


def _value(f, point: Mapping) -> int | None:
    """The sign of *f* at *point* (exact when rational), or None if undefined there."""
    return _sign_of_bounds(f.xreplace(point))


def derive(indifference, param: str, root, *, box: Mapping, reference: Mapping, point: Mapping) -> Conditions:
    """The conditions under which the direction of the closed-form threshold *root* holds.

    See the module docstring for the derivation.

    Parameters
    ----------
    indifference : sympy expression
        The indifference condition D (positive where the first of the two compared actions is preferred).
    param : str
        The varied parameter x.
    root : sympy expression
        The closed form x* (a root of D's numerator in x), in the other parameters.
    box : mapping of sympy Symbol -> (low, high)
        Every parameter's declared range (sympy Rationals), x's included.
    reference : mapping of sympy Symbol -> Rational
        The point that fixes each condition's orientation (the model's parameter defaults).
    point : mapping of sympy Symbol -> Rational
        The evaluated point: the other parameters' values and x at (or within the bracket of) the threshold.

    Returns
    -------
    Conditions

    Examples
    --------
    U pays b*x, D pays 1/2: U is preferred iff x > x* = 1/(2b), which needs b > 0 (b's default is 1 and its
    range [-1, 2]); at b = -1 the inequality flips:

    >>> x, b = sp.symbols("x b")
    >>> box = {x: (sp.Integer(-2), sp.Integer(2)), b: (sp.Integer(-1), sp.Integer(2))}
    >>> c = derive(b*x - sp.Rational(1, 2), "x", 1/(2*b), box=box, reference={x: 1, b: 1},
    ...            point={b: -1, x: sp.Rational(-1, 2)})
    >>> c.conditions, c.hold, c.sign_above, c.reversed
    (('b > 0',), False, -1, True)
    """
    x = sp.Symbol(param)
    reference = {k: sp.sympify(v) for k, v in reference.items()}
    point = {k: sp.sympify(v) for k, v in point.items()}
    num, den = sp.fraction(sp.cancel(sp.together(sp.sympify(indifference))))
    signed = _sign_factors(num, x, root) + _factors(den)      # their product has the sign of N'(x*)*M
    entries: list[tuple[object, str]] = []     # (normalised factor, ">" | "<" | "nonzero" | "nonnegative")
    for f, m in signed:
        f = _normal(f)
        if on_box(f, box) is not None:
            continue
        if m % 2 == 0:
            entries.append((f, "nonzero"))
        else:
            entries.append((f, "<" if _value(f, reference) == -1 else ">"))
    for f, _ in _factors(sp.denom(sp.together(root))):
        f = _normal(f)
        if on_box(f, box) is None:
            entries.append((f, "nonzero"))
    for r in _radicands(root):
        if on_box(r, box) != 1:
            entries.append((_normal(r) if on_box(-r, box) is None else r, "nonnegative"))
    seen: dict = {}
    for f, kind in entries:        # a sign condition implies the non-zero one
        if f in seen and (seen[f] in (">", "<") or kind == "nonzero"):
            continue
        seen[f] = kind
    texts, failing = [], []
    for f, kind in seen.items():
        g = _pretty(f)
        text = {">": f"{g} > 0", "<": f"{g} < 0", "nonzero": f"{g} != 0", "nonnegative": f"{g} >= 0"}[kind]
        texts.append(text)
        v = _value(f, point)
        ok = (v == 1 if kind == ">" else v == -1 if kind == "<" else v in (1, -1) if kind == "nonzero"
              else v in (0, 1))
        if not ok:
            failing.append(text)
    here = 1
    for f, m in signed:
        v = _value(f, point)
        here = None if here is None or v in (0, None) else here * v ** m
    flips = sum(1 for (f, kind), text in zip(seen.items(), texts) if kind in (">", "<") and text in failing)
    return Conditions(tuple(texts), tuple(failing), here, here is not None and flips % 2 == 1)


def box_of(model) -> dict:
    """Every parameter's declared [low, high] as sympy Rationals, keyed by sympy Symbol."""
    return {sp.Symbol(name): (_rational(par.low), _rational(par.high)) for name, par in model.parameters.items()}


def _rational(v) -> sp.Rational:
    f = Fraction(v)
    return sp.Rational(f.numerator, f.denominator)

