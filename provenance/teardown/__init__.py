"""Teardown lists in and out: the CSV/XLSX/JSON format of ../shared/spec/teardown-csv.md.

`readers` streams rows out of an uploaded file, `validation` checks and resolves every row before anything
is written, `writer` stores a validated plan in one transaction (COPY on PostgreSQL), `export` renders
recovered items back into the same format. The entry points are `provenance.services.teardown`.
"""
