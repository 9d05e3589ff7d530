"""Build time only: the policy YAML -> the JSON bundle the runtime reads.

Modules, in the order a build uses them:
  yaml_loader  YAML text -> data and line numbers, refusing hostile files fast (limits)
  shapes       every value checked against its shape in the vocabulary (vocabulary/files.py)
  places       a path in a file, in words (长春市 · 城镇职工基本医疗保险 · … · 起付线)
  mistakes     every mistake's stable code, what is wrong and what to write instead
  files        one file being compiled; mistakes deduplicated, capped, raised as PolicyDataError
  citations    cross-checks: figures cited, unknowns noted, cites and documents resolve
  checks       cross-checks: rates, bands, member flags, a scheme's ids and versions
  contradictions  cross-checks: figures of one rule that contradict each other (cap below deductible…)
  terms        glossary.yaml and synonyms.yaml
  holidays     official days off and make-up workdays
  bundle       the bundle's parts (documents, regions, policies with merged versions)
  policies     compile_policies: the steps above, and the one place the bundle is returned
  changes      the figures of a bundle or a file, and what changed between two of them, in words
  schema       policies/schema.json from the vocabulary; reference: it and README's key reference
  cli          python -m compiler

Reads the vocabulary (vocabulary/) and the runtime's error types and catalogue; the runtime
never imports this package.
"""

from .policies import compile_policies
from .yaml_loader import load_yaml

__all__ = ["compile_policies", "load_yaml"]
