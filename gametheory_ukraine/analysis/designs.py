"""Parameter designs for sweeps: grids, listed values, and sampled designs (Latin hypercube, Monte Carlo, Sobol').

A *spec* says which values one parameter takes in a sweep. On the command line it is written

==============  =====================================================================
``LO:HI:N``     a grid of N evenly spaced points from LO to HI, both included
``LO:HI``       a range [LO, HI] to sample from (``lhs``, ``mc``, ``sobol`` designs)
``V1,V2,V3``    listed values
``V``           one fixed value
==============  =====================================================================

From Python, an array or list of floats is a listed design too, kept as one read-only float64 array
(:meth:`Spec.from_array`): no value is converted to a Fraction unless the sweep is exact, so a sweep of a
million listed floats runs at the speed of a grid. A spec's text (``str``, recorded in a table's ``attrs``)
names a design of more than :data:`MAX_LISTED_TEXT` listed values by its count, smallest and largest value and a
digest of its values (:func:`values_digest`), never value by value.

Numbers are read exactly (``0.05`` is 1/20, ``1/27`` is 1/27; :func:`gametheory_ukraine.core.numbers.to_exact`), so
grid points are the exact rationals ``LO + k (HI - LO) / (N - 1)``; a float sweep uses the nearest float of each.

:func:`design` turns a mapping ``name -> spec`` into a table of points (one row per point, one column per
parameter). Grids are full factorial products in C order (the first parameter varies slowest). Sampled designs
draw ``samples`` points in the unit cube from one explicit seed and scale them to [LO, HI]:

- ``"lhs"``: Latin hypercube sampling (McKay, Beckman & Conover 1979), ``scipy.stats.qmc.LatinHypercube``;
  each of the N equal strata of every parameter's range holds exactly one point.
- ``"mc"``: independent uniform draws, ``numpy.random.Generator.random``.
- ``"sobol"``: a scrambled Sobol' sequence (Sobol' 1967; Owen scrambling), ``scipy.stats.qmc.Sobol``.
  ``samples`` must be a power of 2: otherwise the sequence loses its balance properties (scipy warns); this
  module refuses instead, naming the nearest powers of 2.

Randomness comes only from ``numpy.random.default_rng(seed)``; never from global state. With ``seed=None`` a
fresh seed is drawn from ``numpy.random.SeedSequence()`` and recorded in ``df.attrs["seed"]``, so every design
can be reproduced.
"""

from __future__ import annotations

import hashlib
import math
import numbers
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import ParameterError
from ..core.numbers import format_exact, to_exact

__all__ = ["design_slice", "Spec", "parse_spec", "as_spec", "design", "n_points", "METHODS", "SAMPLED_METHODS",
           "MAX_POINTS", "MAX_POINTS_IN_MEMORY", "check_count", "check_points", "points_budget", "check_method",
           "check_samples", "check_seed", "design_specs", "values_digest", "MAX_LISTED_TEXT"]

METHODS = ("grid", "lhs", "mc", "sobol")
SAMPLED_METHODS = ("lhs", "mc", "sobol")

#: Default budget of a streamed sweep's points (``gtu sweep --max-points``, ``max_points=``): a sweep writes its
#: table chunk by chunk, so memory does not grow with the points, but time does (about 1-20 us a point on the
#: batched engines, about 1 ms on the scalar one): 10**8 points are hours of work, not days.
MAX_POINTS = 10**8
#: Default budget of a design built whole in memory (Latin hypercube designs, which cannot be cut into chunks;
#: about 100 bytes a point and parameter with scipy's temporaries, so 10**7 points stay near 1 GB).
MAX_POINTS_IN_MEMORY = 10**7

#: Listed designs of at most this many values are written value by value in a spec's text; longer ones by their
#: count, smallest and largest value and digest (:func:`values_digest`), so a table's metadata stays short.
MAX_LISTED_TEXT = 16

_SPEC_FIX = "write LO:HI:N (a grid of N points), LO:HI (a range to sample), V1,V2,... (listed values) " \
            "or V (one value), e.g. 0.01:0.5:101"


_fmt = format_exact


@dataclass(frozen=True)
class Spec:
    """The values one parameter takes in a sweep.

    Build one with :func:`parse_spec` or the constructors :meth:`grid`, :meth:`range`, :meth:`listed`,
    :meth:`from_array` and :meth:`fixed`, which check their input.

    Attributes
    ----------
    kind : {"grid", "range", "list", "array", "fixed"}
        ``"array"``: listed float values kept as floats (:meth:`from_array`).
    lo, hi : Fraction
        The smallest and largest value (for ``"list"``, ``"array"`` and ``"fixed"`` too; an array's read
        exactly, as :func:`~gametheory_ukraine.core.numbers.to_exact` reads floats).
    n : int or None
        Number of grid points (``"grid"``), of listed values (``"list"``, ``"array"``), 1 (``"fixed"``), None
        (``"range"``).
    values : tuple of Fraction
        The listed values (``"list"``), ``(v,)`` (``"fixed"``); empty for grids, ranges and arrays (a grid's
        points are computed on demand by :meth:`exact_values`, so a huge grid costs nothing until it is used).
    data : numpy.ndarray or None
        ``"array"``: the values, float64 of shape (n,), read-only; None for the other kinds. Specs compare by
        ``digest``, not by this array.
    digest : str
        ``"array"``: :func:`values_digest` of ``data``; empty for the other kinds.

    Examples
    --------
    >>> s = Spec.grid("0.01", "0.5", 3)
    >>> s.exact_values()
    (Fraction(1, 100), Fraction(51, 200), Fraction(1, 2))
    >>> str(s), s.size
    ('0.01:0.5:3', 3)
    """

    kind: str
    lo: Fraction
    hi: Fraction
    n: int | None = None
    values: tuple = ()
    data: np.ndarray | None = field(default=None, compare=False, repr=False)
    digest: str = ""

    # ----------------------------------------------------------- constructors
    @classmethod
    def grid(cls, lo: Any, hi: Any, n: int, *, where: str | None = None) -> Spec:
        """N evenly spaced points from *lo* to *hi*, both included (N = 1 only when lo == hi)."""
        lo_, hi_ = _number(lo, where), _number(hi, where)
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise ParameterError(f"the number of grid points {n!r} is not a whole number", where=where,
                                 fix="write LO:HI:N with N a whole number >= 2, e.g. 0.01:0.5:101")
        n = int(n)
        if n < 1:
            raise ParameterError(f"a grid of {n} points is empty", where=where,
                                 fix="give N >= 2 points, e.g. 0.01:0.5:101, or one value V")
        _check_order(lo_, hi_, where)
        if n == 1 and lo_ != hi_:
            raise ParameterError(f"a grid of 1 point over [{_fmt(lo_)}, {_fmt(hi_)}] is ambiguous", where=where,
                                 fix=f"give N >= 2 points, or one value such as {_fmt(lo_)}")
        if n > 1 and lo_ == hi_:
            raise ParameterError(f"the range {_fmt(lo_)}:{_fmt(hi_)} is empty (LO = HI), so its {n} grid points "
                                 "would all be the same", where=where,
                                 fix=f"widen the range (LO < HI) or give the one value {_fmt(lo_)}")
        return cls("grid", lo_, hi_, n)

    @classmethod
    def range(cls, lo: Any, hi: Any, *, where: str | None = None) -> Spec:
        """The interval [lo, hi] (lo < hi) for sampled designs."""
        lo_, hi_ = _number(lo, where), _number(hi, where)
        _check_order(lo_, hi_, where)
        if lo_ == hi_:
            raise ParameterError(f"the range {_fmt(lo_)}:{_fmt(hi_)} is empty (LO = HI)", where=where,
                                 fix=f"widen the range (LO < HI) or give the one value {_fmt(lo_)}")
        return cls("range", lo_, hi_)

    @classmethod
    def listed(cls, values: Sequence[Any], *, where: str | None = None) -> Spec:
        """The listed *values*, in the order given (repeats allowed)."""
        vals = tuple(_number(v, where) for v in values)
        if not vals:
            raise ParameterError("the list of values is empty", where=where, fix="give at least one value")
        if len(vals) == 1:
            return cls("fixed", vals[0], vals[0], 1, vals)
        return cls("list", min(vals), max(vals), len(vals), vals)

    @classmethod
    def from_array(cls, values: Any, *, where: str | None = None) -> Spec:
        """The listed float *values* (a 1-D array or sequence of real numbers), in the order given, kept as one
        read-only float64 array: nothing is converted to a Fraction until an exact sweep asks for it
        (:meth:`values_at` with ``exact=True``), where each float is read as its shortest decimal, as
        :meth:`listed` reads it. One value is a ``"fixed"`` spec.

        Examples
        --------
        >>> s = Spec.from_array(np.linspace(0.0, 1.0, 5))
        >>> s.kind, s.size, s.lo, s.hi, s.values_at(np.array([1, 3])).tolist()
        ('array', 5, Fraction(0, 1), Fraction(1, 1), [0.25, 0.75])
        >>> s.values_at(np.array([1]), exact=True)
        array([Fraction(1, 4)], dtype=object)
        """
        try:
            data = np.array(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"the values are not real numbers ({exc})", where=where,
                                 fix="give a 1-D array or list of real numbers") from None
        if data.ndim != 1:
            raise ParameterError(f"values of shape {data.shape} are not a list", where=where,
                                 fix="give a 1-D list or array of values")
        if not data.size:
            raise ParameterError("the list of values is empty", where=where, fix="give at least one value")
        bad = np.flatnonzero(~np.isfinite(data))
        if bad.size:
            first = float(data[bad[0]])
            raise ParameterError(f"value {int(bad[0])} of the list, {first!r}, is not a finite number", where=where,
                                 fix="give finite values (no nan or inf)")
        if data.size == 1:
            return cls.fixed(float(data[0]), where=where)
        data.setflags(write=False)
        return cls("array", to_exact(data.min()), to_exact(data.max()), int(data.size), (), data,
                   values_digest(data))

    @classmethod
    def fixed(cls, value: Any, *, where: str | None = None) -> Spec:
        """One value."""
        v = _number(value, where)
        return cls("fixed", v, v, 1, (v,))

    # -------------------------------------------------------------- values
    @property
    def size(self) -> int | None:
        """Number of values (None for a range, whose size the design decides)."""
        return self.n

    def exact_values(self) -> tuple[Fraction, ...]:
        """The values as exact Fractions (grids: ``lo + k (hi - lo) / (n - 1)``, k = 0 .. n-1)."""
        if self.kind == "grid":
            if self.n == 1:
                return (self.lo,)
            step = (self.hi - self.lo) / (self.n - 1)
            return tuple(self.lo + k * step for k in range(self.n))
        if self.kind == "array":
            return tuple(to_exact(v) for v in self.data.tolist())
        if self.kind == "range":
            raise ParameterError(f"the range {self} has no fixed list of values",
                                 fix="sample it with method='lhs', 'mc' or 'sobol', or make it a grid LO:HI:N")
        return self.values

    def float_values(self) -> np.ndarray:
        """The values as float64, shape (n,): each the float nearest to the exact value.

        Grid points are computed as ratios of integers, ``(lo (n-1) + k (hi - lo)) / (n-1)`` over a common
        denominator, whose division rounds correctly (in float64 when both are below 2**53, else Python
        integers), so ``0.01:0.5:101`` has 0.0345, not 0.034499999999999996 as ``numpy.linspace`` gives.
        """
        if self.kind == "grid" and self.n > 1:
            a, b, c, d, m = self.lo.numerator, self.lo.denominator, self.hi.numerator, self.hi.denominator, self.n - 1
            start, step, den = a * d * m, c * b - a * d, b * d * m
            if max(abs(start), abs(start + m * step), den) < 2**53:  # all exact in float64: IEEE division rounds
                return (start + np.arange(self.n, dtype=np.int64) * step).astype(float) / float(den)
            k = np.arange(self.n, dtype=object)
            return ((start + k * step) / den).astype(float)
        if self.kind == "array":
            return self.data
        return np.array([float(v) for v in self.exact_values()], dtype=float)

    def values_at(self, index: np.ndarray, *, exact: bool = False) -> np.ndarray:
        """The values at positions *index* (int array): ``float_values()[index]`` (or the exact values, an object
        array) without computing the other values -- a chunk of a huge grid costs only its own points."""
        index = np.asarray(index, dtype=np.int64)
        if self.kind == "grid" and self.n > 1:
            a, b, c, d, m = self.lo.numerator, self.lo.denominator, self.hi.numerator, self.hi.denominator, self.n - 1
            start, step, den = a * d * m, c * b - a * d, b * d * m
            if exact:
                return np.array([Fraction(start + int(k) * step, den) for k in index], dtype=object)
            if max(abs(start), abs(start + m * step), den) < 2**53:
                return (start + index * step).astype(float) / float(den)
            k = index.astype(object)
            return ((start + k * step) / den).astype(float)
        if self.kind == "array":
            picked = self.data[index]
            return np.array([to_exact(v) for v in picked.tolist()], dtype=object) if exact else picked
        vals = np.array(self.exact_values(), dtype=object) if exact else self.float_values()
        return vals[index]

    def first(self) -> Fraction:
        """The first value (a range's LO)."""
        if self.kind == "array":
            return to_exact(self.data[0])
        return self.lo if self.kind in ("grid", "range") else self.values[0]

    def __str__(self) -> str:
        """The spec as text: ``LO:HI:N``, ``LO:HI``, ``V1,V2,...``, ``V``; a listed design of more than
        :data:`MAX_LISTED_TEXT` values (or any :meth:`from_array` design) as ``array(n=..., min=..., max=...,
        sha256=...)`` or ``list(...)``, the same for every chunk of a sweep and never longer than about 120
        characters (so a table's ``attrs`` stay short whatever the number of values).

        Examples
        --------
        >>> str(Spec.listed(["0.1", "1/27"])), str(Spec.from_array([0.5, 0.25, 0.75]))
        ('0.1,1/27', 'array(n=3, min=0.25, max=0.75, sha256=ac23f448c006bb65)')
        """
        if self.kind == "grid":
            return f"{_fmt(self.lo)}:{_fmt(self.hi)}:{self.n}"
        if self.kind == "range":
            return f"{_fmt(self.lo)}:{_fmt(self.hi)}"
        if self.kind == "array":
            return f"array(n={self.n}, min={_short(self.lo)}, max={_short(self.hi)}, sha256={self.digest})"
        if len(self.values) > MAX_LISTED_TEXT:
            digest = values_digest(",".join(_fmt(v) for v in self.values))
            return f"list(n={self.n}, min={_short(self.lo)}, max={_short(self.hi)}, sha256={digest})"
        return ",".join(_fmt(v) for v in self.values)


def values_digest(values: np.ndarray | str) -> str:
    """The first 16 hex digits of the SHA-256 of *values*: a float64 array's bytes (little-endian, C order) or a
    text's UTF-8 bytes. Changing one value changes the digest (but for a collision, about 2**-64 likely).

    Examples
    --------
    >>> values_digest(np.array([0.5, 0.25])) == values_digest(np.array([0.5, 0.25000000000000006]))
    False
    """
    if isinstance(values, str):
        raw = values.encode("utf-8")
    else:
        raw = np.ascontiguousarray(values, dtype="<f8").tobytes()
    return hashlib.sha256(raw).hexdigest()[:16]


def _short(value: Fraction) -> str:
    """An extreme of a listed design as short text: exact if short, else its float."""
    text = _fmt(value)
    return text if len(text) <= 24 else repr(float(value))


def _number(value: Any, where: str | None) -> Fraction:
    try:
        return to_exact(value.strip() if isinstance(value, str) else value)
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"{value!r} is not a number ({exc})" if not isinstance(value, str)
                             else f"{value.strip()!r} is not a number", where=where,
                             fix="write numbers such as 0.05, 1/20 or 5e-2") from None


def _check_order(lo: Fraction, hi: Fraction, where: str | None) -> None:
    if lo > hi:
        raise ParameterError(f"the range {_fmt(lo)}:{_fmt(hi)} has LO > HI", where=where,
                             fix=f"write the smaller value first: {_fmt(hi)}:{_fmt(lo)}")


def parse_spec(text: str, *, where: str | None = None) -> Spec:
    """Read a spec written on the command line.

    Parameters
    ----------
    text : str
        ``"LO:HI:N"`` (grid), ``"LO:HI"`` (range for sampled designs), ``"V1,V2,..."`` (listed values) or
        ``"V"`` (fixed). Numbers are exact: ``0.05``, ``1/20``, ``5e-2``, ``-0.05``.
    where : str, optional
        Where the text came from (e.g. ``"-p rho=..."``), for error messages.

    Returns
    -------
    Spec

    Raises
    ------
    ParameterError
        For text that is none of the above, numbers that do not parse, N not a whole number >= 1, LO > HI,
        empty ranges; each with the fix.

    Examples
    --------
    >>> parse_spec("0:1/2:3").exact_values()
    (Fraction(0, 1), Fraction(1, 4), Fraction(1, 2))
    >>> parse_spec("0.01:0.5").kind, parse_spec("0.1,0.2").kind, parse_spec("1/27").kind
    ('range', 'list', 'fixed')
    >>> parse_spec("0.5:0.1:11")
    Traceback (most recent call last):
    ...
    gametheory_ukraine.core.errors.ParameterError: the range 0.5:0.1 has LO > HI (fix: ...)
    """
    if not isinstance(text, str):
        raise ParameterError(f"{text!r} is not a spec", where=where, fix=_SPEC_FIX)
    t = text.strip()
    if not t:
        raise ParameterError("the spec is empty", where=where, fix=_SPEC_FIX)
    if ":" in t and "," in t:
        raise ParameterError(f"cannot read {t!r}: it mixes ':' and ','", where=where, fix=_SPEC_FIX)
    if ":" in t:
        parts = [p.strip() for p in t.split(":")]
        if len(parts) not in (2, 3) or not all(parts):
            raise ParameterError(f"cannot read {t!r}", where=where, fix=_SPEC_FIX)
        if len(parts) == 2:
            return Spec.range(parts[0], parts[1], where=where)
        try:
            n = int(parts[2])
        except ValueError:
            raise ParameterError(f"the number of grid points {parts[2]!r} is not a whole number", where=where,
                                 fix="write LO:HI:N with N a whole number >= 2, e.g. 0.01:0.5:101") from None
        return Spec.grid(parts[0], parts[1], n, where=where)
    if "," in t:
        parts = [p.strip() for p in t.split(",")]
        if not all(parts):
            raise ParameterError(f"cannot read {t!r}: an empty item between commas", where=where, fix=_SPEC_FIX)
        return Spec.listed(parts, where=where)
    return Spec.fixed(t, where=where)


def as_spec(value: Any, *, where: str | None = None) -> Spec:
    """Coerce what the Python API accepts into a :class:`Spec`.

    ============================================  ==========================================
    a :class:`Spec`                               itself
    a string                                      :func:`parse_spec`
    a number (int, float, Fraction, numpy)        fixed
    a 2-tuple ``(lo, hi)``                        a range (for sampled designs)
    a float array, or a list of floats            listed values kept as floats (:meth:`Spec.from_array`)
    another list, 1-D array or sequence           listed values, exact (:meth:`Spec.listed`)
    ============================================  ==========================================

    Examples
    --------
    >>> as_spec((0.01, 0.5)).kind, as_spec([0.01, 0.5]).kind, as_spec(["0.01", 1]).kind, as_spec(0.05).values
    ('range', 'array', 'list', (Fraction(1, 20),))
    """
    if isinstance(value, Spec):
        return value
    if isinstance(value, str):
        return parse_spec(value, where=where)
    if isinstance(value, tuple) and len(value) == 2:
        return Spec.range(value[0], value[1], where=where)
    if isinstance(value, (numbers.Number, np.generic)) and not isinstance(value, bool):
        return Spec.fixed(value, where=where)
    if isinstance(value, (np.ndarray, pd.Series, pd.Index)):
        arr = np.asarray(value)
        if arr.ndim != 1:
            raise ParameterError(f"values of shape {arr.shape} are not a list", where=where,
                                 fix="give a 1-D list or array of values")
        if arr.dtype.kind == "f":
            return Spec.from_array(arr, where=where)
        return Spec.listed(list(arr.tolist()), where=where)
    if isinstance(value, Sequence):
        if value and all(isinstance(v, (float, np.floating)) for v in value):
            return Spec.from_array(value, where=where)
        return Spec.listed(list(value), where=where)
    raise ParameterError(f"cannot use {value!r} as values", where=where,
                         fix="give a spec string such as '0.01:0.5:101', a number, a (lo, hi) range or a list")


def check_method(method: str) -> None:
    """Refuse a design method that is not one of :data:`METHODS`.

    >>> check_method("grid")
    """
    if method not in METHODS:
        raise ParameterError(f"unknown design method {method!r}", where="--method",
                             fix="use one of " + ", ".join(METHODS))


def check_samples(method: str, samples: Any) -> int | None:
    """The number of points of a *method* design, checked: None for grids (which take none), a whole number
    >= 1 for sampled designs (a power of 2 for ``sobol``).

    >>> check_samples("grid", None) is None, check_samples("sobol", 64)
    (True, 64)
    """
    if method == "grid":
        if samples is not None:
            raise ParameterError("--samples is for sampled designs, not grids", where="--samples",
                                 fix="drop --samples, or choose --method lhs, mc or sobol")
        return None
    if samples is None:
        raise ParameterError(f"the {method} design needs its number of points", where="--samples",
                             fix="add --samples N (samples=N), e.g. --samples 128")
    if isinstance(samples, bool) or not isinstance(samples, numbers.Integral) or samples < 1:
        raise ParameterError(f"--samples {samples!r} is not a whole number >= 1", where="--samples",
                             fix="give a number of points such as --samples 128")
    samples = int(samples)
    if method == "sobol" and samples & (samples - 1):
        lower = 1 << (samples.bit_length() - 1)
        raise ParameterError(f"a Sobol' design of {samples} points loses the sequence's balance properties",
                             where="--samples", fix=f"use a power of 2: --samples {lower} or {2 * lower}")
    return samples


def check_seed(seed: Any) -> None:
    """Refuse a seed that is neither None nor a whole number >= 0."""
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0):
        raise ParameterError(f"seed {seed!r} is not a whole number >= 0", where="--seed",
                             fix="give a seed such as --seed 1 (or none for a fresh one, recorded in the output)")


def design_specs(ranges: Mapping[str, Any], method: str) -> dict[str, Spec]:
    """Name -> :class:`Spec` of *ranges* (:func:`as_spec` of each), checked to suit *method*: grids take grids,
    listed and fixed values; sampled designs take ranges (at least one) and fixed values."""
    specs = {name: as_spec(v, where=name) for name, v in ranges.items()}
    for name, s in specs.items():
        if method == "grid" and s.kind == "range":
            raise ParameterError(f"{name}={s} is a range without a number of grid points", where=name,
                                 fix=f"write {name}={s}:N for a grid of N points, or choose a sampled design "
                                     "(--method lhs, mc or sobol with --samples N)")
        if method != "grid" and s.kind in ("grid", "list", "array"):
            fix = (f"write the range {name}={_fmt(s.lo)}:{_fmt(s.hi)} without N" if s.kind == "grid"
                   else "use --method grid for listed values, or give a range LO:HI")
            raise ParameterError(f"{name}={s}: the {method} design samples ranges LO:HI, not "
                                 + ("grids" if s.kind == "grid" else "listed values"), where=name, fix=fix)
    if method != "grid" and not any(s.kind == "range" for s in specs.values()):
        raise ParameterError(f"the {method} design needs at least one range to sample",
                             fix="give a range NAME=LO:HI, e.g. -p rho=0.01:0.5")
    return specs


def n_points(ranges: Mapping[str, Any], *, method: str = "grid", samples: int | None = None) -> int:
    """The number of points :func:`design` would make, without making them (checks the input the same way).

    Examples
    --------
    >>> n_points({"rho": "0.01:0.5:101", "c_R": "0.1,0.2,0.3"})
    303
    >>> n_points({"rho": "0.01:0.5"}, method="lhs", samples=64)
    64
    """
    check_method(method)
    samples = check_samples(method, samples)
    specs = design_specs(ranges, method)
    if method != "grid":
        return samples
    return math.prod(s.size for s in specs.values())


def points_budget(method: str, max_points: int | None, *, in_memory: bool = False) -> int:
    """The points a design may have: *max_points* if given, else :data:`MAX_POINTS_IN_MEMORY` for designs built
    whole in memory (Latin hypercube designs, and any design when *in_memory*) and :data:`MAX_POINTS` for the
    others (streamed in chunks)."""
    if max_points is not None:
        return check_count(max_points, "max_points", option="--max-points")
    return MAX_POINTS_IN_MEMORY if (method == "lhs" or in_memory) else MAX_POINTS


def check_count(value: Any, name: str, *, option: str, minimum: int = 1) -> int:
    """*value* as an int if it is a whole number >= *minimum*; else a :class:`ParameterError` naming *option*.

    Examples
    --------
    >>> check_count(5, "max_points", option="--max-points")
    5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        text = repr(value)
        text = text if len(text) <= 60 else text[:30] + "…" + text[-29:]
        raise ParameterError(f"{name}={text} is not a whole number >= {minimum}", where=option,
                             fix=f"give a whole number >= {minimum}, e.g. {option} {max(minimum, 1000)}")
    return int(value)


def check_points(points: int, *, method: str, max_points: int | None, what: str = "the sweep",
                 in_memory: bool = False) -> None:
    """Refuse a design of more than the budget's points (:func:`points_budget`) before anything is built.

    Raises
    ------
    ParameterError
        With the number of points, the cap and the option that raises it.

    Examples
    --------
    >>> check_points(10**12, method="grid", max_points=None)
    Traceback (most recent call last):
    ...
    gametheory_ukraine.core.errors.ParameterError: --max-points: the sweep has 1,000,000,000,000 points, more than the \
budget of 100,000,000 (fix: use fewer points, or raise the budget with --max-points 1000000000000 (max_points=))
    """
    cap = points_budget(method, max_points, in_memory=in_memory)
    if points > cap:
        whole = (method == "lhs" or in_memory) and max_points is None
        kind = "this design is built whole in memory; " if whole else ""
        raise ParameterError(f"{what} has {points:,} points, more than the budget of {cap:,}",
                             where="--max-points",
                             fix=f"{kind}use fewer points, or raise the budget with --max-points {points} "
                                 "(max_points=)")


def _qmc(cls, d: int, rng: np.random.Generator, **kw):
    try:  # scipy >= 1.15 names the generator ``rng``
        return cls(d, rng=rng, **kw)
    except TypeError:  # pragma: no cover - older scipy
        return cls(d, seed=rng, **kw)


def _unit_sample(method: str, d: int, samples: int, rng: np.random.Generator) -> np.ndarray:
    """(samples, d) points in [0, 1)^d."""
    from scipy.stats import qmc

    if method == "lhs":
        return _qmc(qmc.LatinHypercube, d, rng).random(samples)
    if method == "sobol":
        return _qmc(qmc.Sobol, d, rng, scramble=True).random(samples)
    return rng.random((samples, d))


def design(ranges: Mapping[str, Any], *, method: str = "grid", samples: int | None = None,
           seed: int | None = None, exact: bool = False, max_points: int | None = None) -> pd.DataFrame:
    """A table of parameter points: one row per point, one column per parameter (in the order given).

    Parameters
    ----------
    ranges : mapping of str -> spec
        Parameter name -> :class:`Spec`, spec text (:func:`parse_spec`) or anything :func:`as_spec` takes.
        Grids take grids, listed and fixed values; sampled designs take ranges and fixed values.
    method : {"grid", "lhs", "mc", "sobol"}
        ``"grid"``: the full product of every parameter's values, C order (first parameter slowest),
        ``prod(n_i)`` points. The others: *samples* points drawn in [0, 1)^d (d = number of ranges) and scaled
        to each range's [LO, HI]; fixed values are constant columns.
    samples : int, optional
        Number of points of a sampled design (required there; refused for grids). Sobol': a power of 2.
    seed : int, optional
        Seed of ``numpy.random.default_rng`` (``seed=0`` is a seed like any other). None draws a fresh one from
        ``numpy.random.SeedSequence()``; it is recorded in ``df.attrs["seed"]``. Grids ignore it (None recorded).
    exact : bool
        False: float64 columns (each grid value the float nearest the exact one). True: object columns of
        Fractions (grid points exact; sampled floats read as the shortest decimal that prints them).
    max_points : int, optional
        Budget of points (default :data:`MAX_POINTS_IN_MEMORY`: the table is built whole); a bigger design is
        refused before anything is allocated.

    Returns
    -------
    pandas.DataFrame
        Shape (n_points, len(ranges)); ``attrs`` holds ``method``, ``samples``, ``seed`` (the one used) and
        ``specs`` (name -> spec text).

    Raises
    ------
    ParameterError
        Unknown method, missing or bad *samples*, a bad seed, a spec the method cannot use, more points than
        *max_points*.

    Examples
    --------
    >>> design({"a": "0:1:3", "b": "10,20"})
         a     b
    0  0.0  10.0
    1  0.0  20.0
    2  0.5  10.0
    3  0.5  20.0
    4  1.0  10.0
    5  1.0  20.0
    >>> d = design({"a": "0:1", "b": 5}, method="lhs", samples=4, seed=0)
    >>> d.shape, d.attrs["seed"], sorted((d["a"] * 4).astype(int))
    ((4, 2), 0, [0, 1, 2, 3])
    """
    check_method(method)
    samples = check_samples(method, samples)
    check_seed(seed)
    specs = design_specs(ranges, method)
    check_points(samples if method != "grid" else math.prod(s.size for s in specs.values()), method=method,
                 max_points=max_points, what="the design", in_memory=True)
    names = list(specs)
    columns: dict[str, Any] = {}
    used_seed = None
    if method == "grid":
        shape = tuple(s.size for s in specs.values())
        total = math.prod(shape)
        index = np.unravel_index(np.arange(total), shape) if shape else ()
        for k, (name, s) in enumerate(specs.items()):
            vals = np.array(s.exact_values(), dtype=object) if exact else s.float_values()
            columns[name] = vals[index[k]]
    else:
        used_seed = int(np.random.SeedSequence().entropy) if seed is None else int(seed)
        rng = np.random.default_rng(used_seed)
        sampled = [name for name, s in specs.items() if s.kind == "range"]
        unit = _unit_sample(method, len(sampled), samples, rng)
        columns.update(_scaled(specs, sampled, unit, exact))
    n = samples if method != "grid" else math.prod(s.size for s in specs.values())
    df = pd.DataFrame(columns, columns=names, index=pd.RangeIndex(n))
    df.attrs.update({"method": method, "samples": samples, "seed": used_seed,
                     "specs": {name: str(s) for name, s in specs.items()}})
    return df


def design_slice(specs: Mapping[str, Spec], *, method: str, samples: int | None, seed: int | None, lo: int,
                 hi: int, exact: bool = False, full: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Rows ``lo:hi`` of :func:`design` (same *specs*, *method*, *samples* and the *seed it used*), without
    building the whole design where that can be avoided.

    Grids: the rows' indices unravelled over the grid's shape. Sobol': the scrambled sequence of the same
    generator, fast-forwarded to ``lo``. Monte Carlo: the same ``default_rng(seed)`` stream advanced by
    ``lo * d`` draws (one 64-bit draw per uniform double, numpy's PCG64). Latin hypercube designs cannot be
    cut (each dimension is one permutation of all strata): pass the whole design as *full* (or leave it None
    and it is built).

    Parameters
    ----------
    specs : mapping of str -> Spec
        Already checked (as by :func:`design`).
    method, samples : as for :func:`design`
    seed : int or None
        The seed :func:`design` recorded (not None for sampled designs).
    lo, hi : int
        The rows, ``0 <= lo <= hi <= n_points``.
    exact : bool
        Fractions (object arrays) instead of float64.
    full : mapping of str -> array, optional
        The whole design's columns (used for ``lhs``).

    Returns
    -------
    dict of str -> numpy.ndarray of shape (hi - lo,)

    Examples
    --------
    >>> specs = {"a": Spec.grid(0, 1, 3), "b": Spec.listed([10, 20])}
    >>> {k: v.tolist() for k, v in design_slice(specs, method="grid", samples=None, seed=None, lo=2, hi=5).items()}
    {'a': [0.5, 0.5, 1.0], 'b': [10.0, 20.0, 10.0]}
    >>> whole = design({"a": "0:1"}, method="mc", samples=8, seed=3)
    >>> part = design_slice({"a": Spec.range(0, 1)}, method="mc", samples=8, seed=3, lo=5, hi=8)
    >>> bool((part["a"] == whole["a"].to_numpy()[5:8]).all())
    True
    """
    n = hi - lo
    if method == "grid":
        shape = tuple(s.size for s in specs.values())
        index = np.unravel_index(np.arange(lo, hi), shape) if shape else ()
        return {name: s.values_at(index[k], exact=exact) for k, (name, s) in enumerate(specs.items())}
    sampled = [name for name, s in specs.items() if s.kind == "range"]
    if method == "lhs":
        if full is None:
            whole = design(specs, method=method, samples=samples, seed=seed, exact=exact)
            full = {name: whole[name].to_numpy() for name in specs}
        return {name: np.asarray(full[name])[lo:hi] for name in specs}
    rng = np.random.default_rng(seed)
    d = len(sampled)
    if method == "sobol":
        from scipy.stats import qmc  # deferred: scipy.stats takes over a second to import

        gen = _qmc(qmc.Sobol, d, rng, scramble=True)
        if lo:
            gen.fast_forward(lo)
        with warnings.catch_warnings():  # a chunk of a power-of-2 design need not be a power of 2 itself
            warnings.filterwarnings("ignore", message=".*balance properties.*", category=UserWarning)
            unit = gen.random(n)
    else:
        rng.bit_generator.advance(lo * d)
        unit = rng.random((n, d))
    return _scaled(specs, sampled, unit, exact)


def _scaled(specs: Mapping[str, Spec], sampled: list[str], unit: np.ndarray, exact: bool) -> dict[str, np.ndarray]:
    """Columns of a sampled design: unit points (n, len(sampled)) scaled to each range's [LO, HI]; fixed values
    as constant columns (Fractions when *exact*, read from the floats' shortest decimals)."""
    n = unit.shape[0]
    out = {}
    for name, s in specs.items():
        if s.kind == "range":
            a, b = float(s.lo), float(s.hi)
            col = np.clip(a + unit[:, sampled.index(name)] * (b - a), a, b)
            out[name] = np.array([to_exact(x) for x in col], dtype=object) if exact else col
        else:
            out[name] = np.full(n, s.lo if exact else float(s.lo), dtype=object if exact else float)
    return out
