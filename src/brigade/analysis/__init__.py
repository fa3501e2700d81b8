"""Pure analysis library: road networks, coverage, water supply, siting, statistics.

It works on numpy arrays and small dataclasses and imports nothing from Django or from the
other brigade packages, so a GIS analyst can use it on its own.
"""
