"""`python -m portal.mkdocs_run build -f mkdocs.yml`: MkDocs's own command line, with jieba remembered.

Material's search segments every run of Chinese text with jieba, one call per
run; the generated pages repeat the same labels and headings thousands of
times, so each run's segmentation is remembered (the result is the same as
calling jieba). A wrapper around the command, not a MkDocs hook or plugin.
"""

from __future__ import annotations

import functools
import sys


def memoize_jieba() -> None:
    import jieba

    if getattr(jieba.cut, "memoized", False):
        return
    cut = jieba.cut

    @functools.lru_cache(maxsize=500_000)
    def segment(sentence, cut_all, hmm):
        return tuple(cut(sentence, cut_all=cut_all, HMM=hmm))

    def memoized(sentence, cut_all=False, HMM=True, use_paddle=False):
        if use_paddle:
            return cut(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
        return iter(segment(sentence, cut_all, HMM))

    memoized.memoized = True
    jieba.cut = memoized


if __name__ == "__main__":
    memoize_jieba()
    from mkdocs.__main__ import cli

    sys.exit(cli(prog_name="mkdocs"))
