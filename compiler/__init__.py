"""Build time only: the policy YAML -> the JSON bundle the runtime reads.

Imports runtime constants (ids and labels from `calculator.labels`, the error
types); the runtime never imports this package.
"""

from .policies import compile_policies, load_yaml

__all__ = ["compile_policies", "load_yaml"]
