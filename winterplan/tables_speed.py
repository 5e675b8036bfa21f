"""django-tables2 asks `inspect.signature` which arguments a cell's `render_…`/`value_…`
method takes, once per cell (6,304 calls for one 901-line funding schedule, most of its render
time). A function's signature never changes, so it is remembered per function here.

`install()` (WinterplanConfig.ready) replaces `django_tables2.utils.signature`, which
`call_with_appropriate` looks up on every call, with a cached copy; what it returns is the
same.
"""

import functools

from django_tables2 import utils

_uncached = utils.signature


@functools.lru_cache(maxsize=4096)
def _signature_of(function, bound: bool):
    return _uncached(function.__get__(object()) if bound else function)


def cached_signature(fn):
    """The (arguments, kwargs name) of `fn`, remembered per underlying function (a bound
    method's `self` is left out, as inspect.signature does)."""
    function = getattr(fn, "__func__", None)
    try:
        if function is not None and getattr(fn, "__self__", None) is not None:
            return _signature_of(function, True)
        return _signature_of(fn, False)
    except TypeError:  # not hashable, or not a plain function: ask every time
        return _uncached(fn)


def install() -> None:
    utils.signature = cached_signature
