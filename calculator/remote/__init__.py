"""Out-of-region care (异地就医): the checker `check_remote`, and the rules an estimate applies.

Split by topic: the request, the region's own rules, the national cross-province
rules (filing, validity, emergency, chronic diseases), the settlement (formula,
ratio cut) and the dated checklist.
"""

from .check import check_remote

__all__ = ["check_remote"]
