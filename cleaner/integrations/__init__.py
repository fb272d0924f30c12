"""Integrations with other tools; each needs its optional extra (``make install EXTRAS=NAME``,
or ``pip install '.[NAME]'`` in a checkout).

- :mod:`cleaner.integrations.scrapy`: an item pipeline and an add-on (extra ``scrapy``).
- :mod:`cleaner.integrations.datatrove`: a pipeline step for datatrove (extra ``datatrove``).
"""
