"""JavaScript value semantics, in one place, for everything that must behave like the reference's Node code.

- :mod:`~novu_framework.js.values`: ``typeof``, truthiness, ``String()``/``Number()``, ``===``, deep
  equality and the relational comparison;
- :mod:`~novu_framework.js.numbers`: ``String(number)`` and ``Number(string)``;
- :mod:`~novu_framework.js.strings`: JavaScript whitespace and UTF-16 string order;
- :mod:`~novu_framework.js.objects`: property order and ``structuredClone``;
- :mod:`~novu_framework.js.json`: ``JSON.parse`` with exact integers and ``JSON.stringify``;
- :mod:`~novu_framework.js.regex`: regular expressions translated to Python's ``regex`` syntax and semantics.

Values are JSON-like Python values (``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``, ``None``
for ``null``); integers of any size are kept exact by :func:`~novu_framework.js.json.loads`.
"""
