"""National-scale synthetic data for benchmarks and load tests (`build_scale_data`).

Synthetic councils are named "Synthetic council NNN", have slugs `synthetic-NNN` and carry
SYNTHETIC_NOTICE as their sample notice, so they are never mistaken for a real council's data.
"""
