"""sanitize_html: the reference's output format, and what D9 removes on top."""

from __future__ import annotations

import time

import pytest

from novu_framework.sanitize import sanitize_html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # serialisation
        ("<br><br/><BR />", "<br /><br /><br />"),
        ("<hr/>x", "<hr />x"),
        ('<img src="a.png" alt="a">', '<img src="a.png" alt="a" />'),
        ('<link rel=stylesheet href="https://x/a.css"><meta charset=utf-8>',
         '<link rel="stylesheet" href="https://x/a.css" /><meta charset="utf-8" />'),
        ("<wbr><col>", "<wbr></wbr><col></col>"),
        ("<p class=x id='y' title=\"a 'b'\">t</p>", "<p class=\"x\" id=\"y\" title=\"a 'b'\">t</p>"),
        ('<p title="a&quot;b&lt;c&gt;&amp;">t</p>', '<p title="a&quot;b&lt;c&gt;&amp;">t</p>'),
        ("<DIV CLASS=A>x</DIV>", '<div class="A">x</div>'),
        ("<td nowrap>x</td>", "<td nowrap>x</td>"),
        ('<span class="" id="">x</span><img alt="">', '<span>x</span><img alt="" />'),
        ('<a href="x" href="y">z</a>', '<a href="x">z</a>'),
        ("<p b=1 2=x a=3 10=y>z</p>", '<p 2="x" 10="y" b="1" a="3">z</p>'),
        # text
        ("Tom & Jerry <3", "Tom &amp; Jerry &lt;3"),
        ("a > b", "a &gt; b"),
        ("\"quotes\" and 'apostrophes'", "\"quotes\" and 'apostrophes'"),
        ("P&nbsp;1 &copy; &#169; &#xA9; &copy", "P\u00a01 © © © ©"),
        ("&amp;lt; &unknown; &", "&amp;lt; &amp;unknown; &amp;"),
        ("&#0; &#128; &#xD800; &#1114112;", "\ufffd € \ufffd \ufffd"),
        ("<p>{{ payload.name }}</p>", "<p>{{ payload.name }}</p>"),
        # structure
        ("<b>bold", "<b>bold</b>"),
        ("<div><span>x", "<div><span>x</span></div>"),
        ("<p>a<p>b", "<p>a</p><p>b</p>"),
        ("<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>"),
        ("<table><td>x<tr>y", "<table><td>x</td><tr>y</tr></table>"),
        ("<b>a<i>b</b>c</i>", "<b>a<i>b</i></b>c"),
        ("</p>", "<p></p>"),
        ("</br>", "<br />"),
        ("<p>a</ p>", "<p>a</p>"),
        # dropped or unwrapped
        ("<!-- note -->x<!-->y", "xy"),
        ("<font color=red>t</font><unknown-tag>u</unknown-tag><noscript>n</noscript>", "tun"),
        ("<![CDATA[x<y]]>z<?php echo 1 ?>", "z"),
        ("<textarea><b>x</b></textarea><select><option>o</option></select>y", "y"),
        ("<svg><path/><b>x</b></svg>", "<b>x</b>"),
        # DOCTYPE: kept only as the very first thing, as written
        ("<!DOCTYPE html><p>x", "<!DOCTYPE html><p>x</p>"),
        ("<!doctype html><p>x", "<p>x</p>"),
        (" <!DOCTYPE html><p>x", " <p>x</p>"),
        # malformed input at the end
        ('<a href="x', ""),
        ("a<", "a&lt;"),
        ("a</", "a&lt;/"),
        ("a<!foo", "afoo"),
        ("<b>x</b y", "<b>x</b>y"),
        ("a</>b", "a&lt;/&gt;b"),
        # raw text
        ("<style>a > b { color: red } p::after{content:'&amp;'}</style>",
         "<style>a > b { color: red } p::after{content:'&amp;'}</style>"),
        ("<title>a &amp; <b></title>", "<title>a &amp; &lt;b&gt;</title>"),
        ("<xmp><b>x</b></xmp>y", "y"),
        # the <img> attribute allow-list
        ('<img SRC=a.png data-x=1 width=5 usemap="#m" border=0 Alt>',
         '<img src="a.png" width="5" usemap="#m" alt="" />'),
        ('<img src="x.png" srcset="a.png 1.50x, b.png 2e0x, c.png 0x, d.png 010w, e.png -1x">',
         '<img src="x.png" srcset="a.png 1.5x, b.png 2x, c.png, d.png 10w" />'),
    ],
)  # fmt: skip
def test_reference_format(text: str, expected: str) -> None:
    assert sanitize_html(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<p onclick="steal()">Hi</p>', "<p>Hi</p>"),
        ('<a href="https://x" OnMouseOver=y on=1 one=2 xon=3>t</a>', '<a href="https://x" xon="3">t</a>'),
        ("<body onload=alert(1)><details open ontoggle=x>d</details></body>", "<body>d</body>"),
        ('<img src="a.png" onerror="x()" alt="a">', '<img src="a.png" alt="a" />'),
        ("<script>alert(1)</script>x<script>", "x"),
        ("<SCRIPT src=//evil>alert(1)</SCRIPT >y", "y"),
        ("<iframe>inner <b>x</b></iframe>after", "after"),
        ('<iframe src="https://evil.example"></iframe>', ""),
        ("<object data=x.swf><param name=a value=b>o</object><embed src=x.swf>e", "e"),
        ("<a href=javascript:alert(1)>x</a>", "<a>x</a>"),
        ('<a href=" JAVA&#x09;SCRIPT:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="j<!-- c -->avascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="data:text/html,x">d</a><a href="vbscript:x">v</a>', "<a>d</a><a>v</a>"),
        ('<img src="javascript:x" srcset="a.png 1x, javascript:b 2x">', '<img srcset="a.png 1x" />'),
        ('<p background="javascript:x" cite="https://ok">x</p>', '<p cite="https://ok">x</p>'),
        (
            '<a href="mailto:a@b.c">m</a><a href="tel:+1">t</a><a href="//x.com">p</a><a href="/r">r</a>',
            '<a href="mailto:a@b.c">m</a><a href="tel:+1">t</a><a href="//x.com">p</a><a href="/r">r</a>',
        ),
        # style content cannot close the element early
        (
            "<style>a</style/><script>alert(1)</script>",
            "<style>a<\\/style/><script>alert(1)</script></style>",
        ),
        ("<style/>&lt;/style&gt;&lt;script&gt;", "<style>&lt;/style&gt;&lt;script&gt;</style>"),
    ],
)
def test_d9_removals(text: str, expected: str) -> None:
    assert sanitize_html(text) == expected


def test_srcset_numbers_read_like_javascript() -> None:
    huge = "9" * 5000
    text = f'<img srcset="a.png {huge}w, b.png 1e400x, c.png 12345678901234567890w, d.png 0w">'
    assert sanitize_html(text) == (
        '<img srcset="a.png Infinityw, b.png Infinityx, c.png 12345678901234567000w" />'
    )


def test_unterminated_attribute_containing_markup_is_dropped() -> None:
    assert sanitize_html('<p>ok</p><img src="x" onerror="alert(1)') == "<p>ok</p>"


@pytest.mark.parametrize("text", ["", "plain", "no markup at all, just > and quotes \"'", "é 🚀 \u2028\x00"])
def test_plain_strings(text: str) -> None:
    assert sanitize_html(text) == text.replace(">", "&gt;")


def test_urls_keep_their_query_parameters() -> None:
    # `&copy=`, `&lang=`, `&not` in a URL are not references to decode (the HTML attribute rule).
    text = '<a href="https://x.com/?a=1&copy=2&lang=fr&not=3&amp;b=4">l</a>'
    assert (
        sanitize_html(text) == '<a href="https://x.com/?a=1&amp;copy=2&amp;lang=fr&amp;not=3&amp;b=4">l</a>'
    )


def test_a_realistic_email_is_kept() -> None:
    email = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"><html><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>Welcome</title>'
        "<style>body{margin:0} a>b{color:#fff}</style></head><body>"
        '<table role="presentation" width="100%"><tr><td style="font-family:\'Helvetica Neue\',Arial">'
        "<h1>Hi Ada</h1><p>Thanks&nbsp;for joining <b>Acme</b> &amp; co.</p>"
        '<a href="https://x.com/?a=1&amp;b=2" target="_blank">Go</a><br/>'
        '<img src="https://x.com/l.png" alt="" width="120"></td></tr></table></body></html>'
    )
    assert sanitize_html(email) == (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"><html><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" /><title>Welcome</title>'
        "<style>body{margin:0} a>b{color:#fff}</style></head><body>"
        '<table role="presentation" width="100%"><tr><td style="font-family:\'Helvetica Neue\',Arial">'
        "<h1>Hi Ada</h1><p>Thanks\u00a0for joining <b>Acme</b> &amp; co.</p>"
        '<a href="https://x.com/?a=1&amp;b=2" target="_blank">Go</a><br />'
        '<img src="https://x.com/l.png" alt="" width="120" /></td></tr></table></body></html>'
    )


@pytest.mark.parametrize(
    "text",
    [
        "<b>" * 20_000 + "</i>" * 20_000,  # end tags that match nothing, on a deep stack
        "<a " + "b=c " * 40_000,  # a start tag that never ends
        "<" * 100_000,
        "&notin" * 30_000,
        "<li>" * 40_000,
        '<img srcset="' + "a 1x," * 30_000 + '">',
    ],
    ids=["unmatched-end-tags", "unterminated-tag", "lt", "entities", "implied-closes", "srcset"],
)
def test_large_hostile_inputs_take_linear_time(text: str) -> None:
    start = time.perf_counter()
    sanitize_html(text)
    assert time.perf_counter() - start < 3.0  # ~0.1 s when linear; minutes if quadratic
