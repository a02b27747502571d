"""Reproducible evaluation of the Contrat de Ville of Grand Chambéry."""

__version__ = "0.1.0"
