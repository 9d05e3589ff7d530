"""Build time only: the policy YAML -> the JSON bundle the runtime reads.

Modules, in the order a build uses them:
  yaml_loader  YAML text -> data and line numbers, refusing hostile files fast (limits)
  messages     schema validation with Chinese messages at file:line
  files        one file being compiled; mistakes deduplicated, capped, raised as PolicyDataError
  citations    cross-checks: figures cited, unknowns noted, cites and documents resolve
  checks       cross-checks: rates, bands, member flags, a scheme's ids and versions
  contradictions  cross-checks: figures of one rule that contradict each other (cap below deductible…)
  terms        glossary.yaml and synonyms.yaml
  holidays     official days off and make-up workdays
  bundle       the bundle's parts (documents, regions, policies with merged versions)
  policies     compile_policies: the steps above, and the one place the bundle is returned
  cli          python -m compiler

Imports runtime constants (ids and labels from `calculator.labels`, the error
types); the runtime never imports this package.
"""

from .policies import compile_policies
from .yaml_loader import load_yaml

__all__ = ["compile_policies", "load_yaml"]
