"""Analysis of models across parameter values: thresholds, sweeps, sensitivity."""
