"""The provider register from CQC's own published files (README, "CQC's files").

layouts: the two files' columns, matched by name; readers: bounded, streaming rows of .xlsx,
.ods and .csv; mapping: a CQC location's council, type, client group and beds; importer: the
council's rows of a file and what was left out, for providers.services.imports; synthetic:
fictitious files in both layouts for fixtures, tests and bench_cqc_import.
"""
