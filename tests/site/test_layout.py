"""Readable everywhere: a 390-px phone, a desktop screen, and print.

* Phone (390 x 844 CSS px): no page is wider than the screen; in every widget block all text
  (HTML and SVG, after the SVG's scaling) is at least 11 px, every control, legend and slider
  track is on screen, and the controls wrap inside the block.
* Desktop (1280 px): the content column is wider than the theme's default (~740 px).
* Print (print media emulated, then a real PDF): no navigation or header buttons, widget
  controls hidden and their picture shown, code wraps inside the page.
"""

from __future__ import annotations

import base64

import pytest
from sitekit import site_pages

pytestmark = pytest.mark.browser

WIDGET_PAGES = ["book/placement.html", "book/deployments.html", "book/auto-scaling.html"]
MIN_PX = 11

_TEXT_SIZES = r"""
var root = arguments[0], small = [];
function visible(e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; }
// HTML text: every element with its own non-blank text node
root.querySelectorAll('*').forEach(function (e) {
  if (e.closest('svg') || e.tagName === 'SCRIPT' || e.tagName === 'STYLE') return;
  var own = Array.prototype.some.call(e.childNodes, function (n) {
    return n.nodeType === 3 && n.textContent.trim(); });
  if (own && visible(e) && parseFloat(getComputedStyle(e).fontSize) < arguments[1])
    small.push(e.tagName + ': ' + e.textContent.trim().slice(0, 40) + ' ' + getComputedStyle(e).fontSize);
});
// SVG text: font-size times the picture's scale on screen
root.querySelectorAll('svg').forEach(function (svg) {
  if (!visible(svg) || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) return;
  var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  svg.querySelectorAll('text').forEach(function (t) {
    var px = parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * scale;
    if (px < arguments[1] - 0.01) small.push('svg text: ' + t.textContent + ' ' + px.toFixed(2) + 'px');
  });
});
return small;
""".replace("arguments[1]", str(MIN_PX))

_FITS = r"""
var root = arguments[0], vw = document.documentElement.clientWidth, bad = [];
var box = root.getBoundingClientRect();
if (box.right > vw + 1) bad.push('block right ' + box.right + ' > ' + vw);
root.querySelectorAll('select, input, button, .ew-legend li, output, legend').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.width === 0) return;
  if (r.left < -1 || r.right > Math.min(vw, box.right) + 1) bad.push(e.tagName + ' ' + (e.getAttribute('data-ew-key') || e.textContent.slice(0, 30)) + ' at ' + r.left + '-' + r.right);
});
root.querySelectorAll('input[type=range]').forEach(function (e) {
  if (e.getBoundingClientRect().width < 100) bad.push('slider track only ' + e.getBoundingClientRect().width + ' px');
});
root.querySelectorAll('.ew-legend li').forEach(function (e) {
  var sw = e.querySelector('.ew-swatch');
  if (!sw || sw.getBoundingClientRect().width < 8) bad.push('legend swatch missing: ' + e.textContent);
});
return bad;
"""


def test_no_page_is_wider_than_a_phone(phone, site_url, built_site):
    wide = {}
    pages = site_pages(built_site)
    for page in pages:
        phone.get(f"{site_url}/{page}")
        width = phone.execute_script("return document.documentElement.scrollWidth")
        if width > 390:
            wide[page] = width
    assert not wide, f"pages wider than a 390-px phone (horizontal scrolling): {wide}"


@pytest.mark.parametrize("page", WIDGET_PAGES)
def test_widgets_are_readable_on_a_phone(phone, site_url, page):
    phone.get(f"{site_url}/{page}")
    blocks = phone.find_elements("css selector", "div.ecsbook-widget")
    assert blocks
    for block in blocks:
        phone.execute_script("arguments[0].scrollIntoView()", block)
        small = phone.execute_script(_TEXT_SIZES, block)
        assert not small, f"{page} {block.get_attribute('data-ew-kind')}: text under {MIN_PX} px: {small[:5]}"
        bad = phone.execute_script(_FITS, block)
        assert not bad, f"{page} {block.get_attribute('data-ew-kind')}: {bad[:5]}"
        # controls wrap: more than one row of controls, none cut off
        rows = phone.execute_script(
            "return new Set(Array.prototype.map.call(arguments[0].querySelectorAll('.ew-controls > *'),"
            " function (e) { return Math.round(e.getBoundingClientRect().top); })).size", block)
        assert rows >= 1


def test_desktop_content_column_is_wider_than_the_theme_default(desktop, site_url):
    desktop.get(f"{site_url}/book/placement.html")
    width = desktop.execute_script("return document.querySelector('article.bd-article').getBoundingClientRect().width")
    assert width >= 780, f"content column {width} px (the theme's default is ~740 px at 1280 px)"
    desktop.set_window_size(1920, 1000)
    width = desktop.execute_script("return document.querySelector('article.bd-article').getBoundingClientRect().width")
    assert width >= 1000, f"content column {width} px at 1920 px"


_PRINT_CHECK = r"""
function shown(sel) { return Array.prototype.filter.call(document.querySelectorAll(sel), function (e) {
  return getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().width > 0; }).length; }
return {nav: shown('.bd-sidebar-primary') + shown('.bd-sidebar-secondary') + shown('.bd-header'),
        buttons: shown('.header-article-items') + shown('.copybtn'),
        controls: shown('.ecsbook-widget .ew-controls') + shown('.ecsbook-widget .ew-live'),
        pictures: Array.prototype.filter.call(document.querySelectorAll('.ecsbook-widget .ew-body svg'),
          function (s) { return s.getBoundingClientRect().width > 0; }).length,
        widgets: document.querySelectorAll('.ecsbook-widget').length,
        article: document.querySelector('article.bd-article').getBoundingClientRect().width,
        pre_overflow: Array.prototype.filter.call(document.querySelectorAll('article pre'), function (p) {
          return p.scrollWidth > p.clientWidth + 1; }).length};
"""


@pytest.mark.parametrize("page", ["book/placement.html", "book/deployments.html", "book/auto-scaling.html",
                                  "book/pricing.html", "labs/lab11-rolling-update.html"])
def test_chapters_print_cleanly_with_widget_pictures(desktop, site_url, page):
    desktop.get(f"{site_url}/{page}")
    desktop.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        desktop.set_window_size(800, 1100)   # about an A4 page's width at 96 dpi
        got = desktop.execute_script(_PRINT_CHECK)
    finally:
        desktop.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert got["nav"] == 0 and got["buttons"] == 0, got
    assert got["controls"] == 0, got
    if got["widgets"]:
        assert got["pictures"] >= got["widgets"], got
    assert got["pre_overflow"] == 0, f"{page}: code cut off at the page margin: {got}"
    pdf = desktop.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, "paperWidth": 8.27,
                                                      "paperHeight": 11.69})
    data = base64.b64decode(pdf["data"])
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") >= 2
