"""Compare every template with its version at a git revision by its Jinja syntax tree.

Throwaway check for issue 10. Equal trees (Jinja's nodes compare by fields, not line numbers) render the same
bytes for every context. Where the trees differ only inside literal text, print each differing piece of text
with the whitespace it gained or lost, so the change can be judged (inside a tag / in flow text).
Usage: python verify_templates.py REV
"""
from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path

from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parents[2]


def env():
    return Environment(extensions=["jinja2.ext.do"])


def datas(tree):
    return [n.data for n in tree.find_all(nodes.TemplateData)]


def blank_data(tree):
    for n in tree.find_all(nodes.TemplateData):
        n.data = ""
    return tree


TABLE = r"/?(?:tr|th|td|thead|tbody|tfoot)\b|option\b"


def untabled(text):
    """Whitespace between the parts of a table (CSS 2.1, 17.2.1) or between options is not rendered: drop it, collapse the rest."""
    text = re.sub(r">\s+<(" + TABLE + ")", r"><\1", text)
    text = re.sub(r"(</(?:tr|th|td|thead|tbody|tfoot|option)>|<(?:tr|thead|tbody|tfoot)>)\s+<", r"\1<", text)
    return re.sub(r"\s+", " ", text)


def main(rev):
    e = env()
    table_ws = [0]
    same = ws_only = 0
    for path in sorted((ROOT / "templates").rglob("*.html")):
        rel = path.relative_to(ROOT).as_posix()
        try:
            old = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout
        except subprocess.CalledProcessError:
            print(f"NEW {rel}")
            continue
        new = path.read_text(encoding="utf-8")
        if old == new:
            continue
        t_old, t_new = e.parse(old), e.parse(new)
        if t_old == t_new:
            same += 1
            continue
        d_old, d_new = datas(t_old), datas(t_new)
        if blank_data(e.parse(old)) != blank_data(e.parse(new)) or len(d_old) != len(d_new):
            print(f"STRUCTURE DIFFERS {rel}")
            continue
        bad = False
        for a, b in zip(d_old, d_new, strict=True):
            if a == b:
                continue
            if re.sub(r"\s+", " ", a) != re.sub(r"\s+", " ", b):
                if untabled(a) == untabled(b):
                    table_ws[0] += 1
                    continue
                bad = True
                print(f"TEXT DIFFERS {rel}: {a!r} -> {b!r}")
                continue
            sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
            for op, i1, i2, j1, j2 in sm.get_opcodes():
                if op != "equal":
                    print(f"  ws {rel}: ...{a[max(0, i1 - 40):i1]!r} [{a[i1:i2]!r} -> {b[j1:j2]!r}] {a[i2:i2 + 40]!r}...")
        if not bad:
            ws_only += 1
    print(f"byte-identical trees: {same}; whitespace-only in literal text: {ws_only} "
          f"(of which {table_ws[0]} pieces gained whitespace between table parts)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "main")
