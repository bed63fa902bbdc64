"""Matplotlib drawing functions: take model results or facts, return a Figure, keep no state."""
