"""HTML sanitising of email bodies: microseconds per ``sanitize_html`` call.

    python benchmarks/sanitize_html.py [--rounds 7] [--number 200]

Builds two email bodies shaped like what email builders emit (a DOCTYPE, ``<head>`` with ``<meta>`` and a
``<style>`` block, Outlook conditional comments, nested layout tables with inline styles, links, images
with ``srcset``, named and numeric references, a tracking pixel, an ``onclick`` and a ``javascript:`` link
for the sanitiser to remove): about 5 KB and about 100 KB. Prints, for each, its size, the median time
per call over ``--rounds`` rounds of ``--number`` calls, and a digest of the output (equal digests mean
equal bytes out).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from novu_framework.sanitize import sanitize_html

HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Your order &amp; delivery update</title>
<!--[if mso]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
<style type="text/css">
  body { margin: 0; padding: 0; -webkit-text-size-adjust: 100%; }
  table, td { border-collapse: collapse; mso-table-lspace: 0pt; mso-table-rspace: 0pt; }
  a[x-apple-data-detectors] { color: inherit !important; text-decoration: none !important; }
  @media only screen and (max-width: 600px) { .column { width: 100% !important; display: block; } }
</style>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f7;">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="background-color:#f4f4f7;">
<tr><td align="center" style="padding:24px 0;">
<table role="presentation" class="container" width="600" cellspacing="0" cellpadding="0" border="0">
<tr><td style="padding:0 24px 16px;"><a href="https://shop.example.com/?utm_source=email&amp;utm_medium=order">
<img src="https://cdn.example.com/logo.png" srcset="https://cdn.example.com/logo.png 1x, https://cdn.example.com/logo@2x.png 2x" width="120" height="40" alt="Example Shop" style="display:block;border:0;"></a></td></tr>
"""

BLOCK = """<tr><td class="column" style="padding:16px 24px;background:#ffffff;border-radius:6px;font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:22px;color:#333333;">
<h2 style="margin:0 0 8px;font-size:18px;">Item {n}: Ceramic mug &ndash; {colour}</h2>
<p style="margin:0 0 12px;">Hi Ada, your item <strong>#{n:05d}</strong> has shipped. It should arrive within 3&ndash;5 working days.&nbsp;Track it any time from your account.</p>
<table role="presentation" width="100%" cellspacing="0" cellpadding="0"><tr>
<td width="96" valign="top"><img src="https://cdn.example.com/items/{n}.jpg" width="80" height="80" alt="Mug {n}" loading="lazy"></td>
<td valign="top" style="padding-left:12px;"><p style="margin:0;">Qty 1 &times; &euro;{n}.50<br>Subtotal: <b>&#8364;{n}.50</b></p>
<p style="margin:8px 0 0;"><a href="https://shop.example.com/orders/{n}?ref=email&amp;lang=en" style="color:#1a73e8;" onclick="track({n})">View order</a> &middot;
<a href="javascript:alert({n})">Unsubscribe</a> &middot; <a href="mailto:help@example.com?subject=Order%20{n}">Get help</a></p></td>
</tr></table>
<!-- item {n} end -->
</td></tr>
<tr><td height="12" style="font-size:0;line-height:0;">&nbsp;</td></tr>
"""

FOOT = """<tr><td style="padding:16px 24px;font-family:Helvetica,Arial,sans-serif;font-size:12px;color:#8a8a8a;" align="center">
&copy; 2026 Example Shop Ltd &middot; 1 High Street, London<br>
<a href="https://shop.example.com/preferences" style="color:#8a8a8a;">Email preferences</a>
<img src="https://t.example.com/open.gif?id=abc&amp;u=42" width="1" height="1" alt="" style="display:none;">
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""

COLOURS = ("white", "black", "sage green", "terracotta", "ocean blue")


def email_body(target_bytes: int) -> str:
    """An email of about ``target_bytes`` UTF-8 bytes: the head, as many item blocks as fit, the footer."""
    blocks: list[str] = []
    size = len(HEAD) + len(FOOT)
    n = 1
    while True:
        block = BLOCK.format(n=n, colour=COLOURS[n % len(COLOURS)])
        if blocks and size + len(block) > target_bytes:
            break
        blocks.append(block)
        size += len(block)
        n += 1
    return HEAD + "".join(blocks) + FOOT


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--number", type=int, default=200)
    args = parser.parse_args()
    for label, target, number in (
        ("5 KB", 5_000, args.number),
        ("100 KB", 100_000, max(1, args.number // 20)),
    ):
        body = email_body(target)
        out = sanitize_html(body)
        digest = hashlib.sha256(out.encode()).hexdigest()[:12]
        times = timeit.repeat(lambda b=body: sanitize_html(b), number=number, repeat=args.rounds)
        us = statistics.median(times) / number * 1e6
        print(
            f"{label} ({len(body.encode())} bytes in, {len(out.encode())} out, sha256 {digest}): {us:.1f} µs per call"
        )


if __name__ == "__main__":
    main()
