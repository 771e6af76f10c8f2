"""The payoff table of a normal-form game as plain text for the terminal (``gtu export --to txt``).

The same table as :func:`~gametheory_ukraine.output.latex.payoff_table_latex` (one bimatrix per combination of
players 3..N, built by :func:`~gametheory_ukraine.output.latex.payoff_rows`), with payoffs as plain numbers
(exact fractions as ``5/2``). With ``best_responses=True`` a best-response payoff carries an asterisk, ``5*``, the
plain-text stand-in for the textbook underline, and a legend line says so.
"""

from __future__ import annotations

from ..solvers.results import format_number
from .latex import BEST_RESPONSE_LEGEND, best_response_marks_for, payoff_rows, table_slices
from .tables import text_table

__all__ = ["payoff_table_text", "TEXT_MARK"]

#: What follows a best-response payoff in a text table.
TEXT_MARK = "*"


def payoff_table_text(game, *, best_responses: bool = False) -> str:
    """The payoff table(s) of *game* as text, best responses marked with :data:`TEXT_MARK` if asked.

    Parameters
    ----------
    game : NormalFormGame
        Symbolic (no marks: which payoff is best depends on the parameters), exact or float.
    best_responses : bool
        Mark every best-response payoff and add a legend line.

    Returns
    -------
    str
        A heading line, then one table per combination of players 3..N (each with a line naming their actions).

    Examples
    --------
    >>> from gametheory_ukraine.games.normal_form import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]])
    >>> print(payoff_table_text(pd, best_responses=True))
    Player 1 chooses the row, Player 2 the column; each cell: payoffs of (Player 1, Player 2)
    Player 1 \\ Player 2  C      D
    -------------------  -----  ------
    C                    3, 3   0, 5*
    D                    5*, 0  1*, 1*
    * marks a best response, the highest payoff its player can get against the other players' actions
    """
    marks = best_response_marks_for(game, best_responses)
    roles = (f"{game.players[0]} chooses the row" if game.n_players == 1 else
             f"{game.players[0]} chooses the row, {game.players[1]} the column")
    lines = [f"{roles}; each cell: payoffs of ({', '.join(game.players)})"]
    for k, others in enumerate(table_slices(game)):
        if k:
            lines.append("")
        if others:
            lines.append(", ".join(f"{p} plays {a}" for p, a in others) + ":")
        rows = payoff_rows(game, others, label=str, number=format_number, marks=marks,
                           mark=lambda text: text + TEXT_MARK)
        lines.append(text_table(rows[0], rows[1:]))
    if marks is not None:
        lines.append(f"{TEXT_MARK} marks {BEST_RESPONSE_LEGEND}")
    return "\n".join(lines)
