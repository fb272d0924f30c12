"""Integrations with other tools; each needs its optional extra (``pip install 'cleaner[NAME]'``).

- :mod:`cleaner.integrations.scrapy`: an item pipeline and an add-on (extra ``scrapy``).
"""
