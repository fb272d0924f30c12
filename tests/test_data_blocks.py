"""Widget data printed as text (JSON in a hidden span) is removed, with a removal that says so;
short JSON that a post prints as an example stays, and so does data that is all there is."""

from __future__ import annotations

import json

from cleaner import clean

POST = "".join(
    f"<p>Resistance bands are the champions of the small home gym, part {i}: they pack away "
    "into a drawer and give a full-body workout in a corner of the living room.</p>"
    for i in range(5)
)
SETTINGS = json.dumps(
    {"layoutMobile": 2, "layoutDesktop": 4, "buttonAlign": "Center", "buttonText": "Buy now",
     "productTitle": {"hue": 213, "brightness": 0.83, "saturation": 1, "size": 14},
     "products": [{"id": 700 + i, "handle": f"band-set-{i}", "price": "29.99"} for i in range(6)]}
)


def page(extra: str) -> str:
    return (
        "<html><body><article><h1>A home gym on a budget</h1><div class='entry-content'>"
        f"{POST}<div class='Avada-Tool__DynamicProduct'><span hidden>{extra}</span></div>"
        "</div></article></body></html>"
    )


def test_a_product_widgets_settings_are_not_text() -> None:
    result = clean(page(SETTINGS))
    assert "layoutMobile" not in result.text
    assert "Resistance bands" in result.text
    assert [r.rule for r in result.removed if r.source == "builtin:data"] == ["JSON data, not text"]


def test_a_short_json_example_stays() -> None:
    example = '{"id": 12345, "name": "John Doe", "email": "john@example.com"}'
    assert example in clean(page(example)).text


def test_data_that_is_all_the_page_holds_stays() -> None:
    html = f"<html><body><div id='grid'><p>{SETTINGS}</p></div></body></html>"
    assert "layoutMobile" in clean(html).text
