"""Computations: indicators, trends, scorecard, reconciliation, key figures. They return data."""
