"""Equilibrium solvers working on payoff arrays."""
