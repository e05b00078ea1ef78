"""Synthetic Odia data: fonts, text sampling, shaping-correct rendering and degradation."""
