"""MkDocs hooks for the portal (build time only).

Material's search plugin segments every run of Chinese text with jieba, one
call per run; the generated pages repeat the same labels and table headings
thousands of times, so remembering each run's segmentation makes large sites
build several times faster. The result is the same as calling jieba.
"""
import functools

import jieba


def on_startup(command, dirty):
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
