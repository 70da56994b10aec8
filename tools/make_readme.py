"""Write README.md from the docs home, nbs/index.ipynb (settings.ini `readme_nb`); `make readme` runs it.

First the results table in nbs/index.ipynb (between the RESULTS_BEGIN and RESULTS_END comment lines) is
rewritten from figures/*.csv by clipnb.taf.results.results_table, so the table and its verdicts are what
the committed CSVs say; then README.md is written from the notebook.

Markdown cells go in as they are (relative links rewritten to start from the repository root), code
cells as fenced python followed by their saved text outputs; cells marked `#| hide` (or export
directives) are left out and other `#|` directive lines are dropped. Quarto cannot be installed here,
so nbdev_readme is not an option. tests/test_readme.py fails when README.md is out of date, or when the
results table differs from what the CSVs give.
"""
import json, os, re, sys
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = '<!-- Generated from nbs/index.ipynb by tools/make_readme.py (`make readme`): edit the notebook, not this file. -->'
SKIP = {'hide', 'export', 'exporti', 'default_exp'}  # as nbdev's docs processors drop them
_LINK = re.compile(r'(\]\()([^)\s]+)')
RESULTS_BEGIN = '<!-- the results table: written by `make readme` from figures/*.csv (clipnb.taf.results); do not edit by hand -->'
RESULTS_END = '<!-- end of the results table -->'


def readme_nb() -> Path:
    cfg = ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini', encoding='utf-8')
    return ROOT/cfg['DEFAULT']['nbs_path']/cfg['DEFAULT'].get('readme_nb', 'index.ipynb')


def _relink(md: str, nb_dir: Path) -> str:
    "Relative link targets, written from the notebook's folder, made relative to the repository root."
    def fix(m):
        url = m.group(2)
        if re.match(r'^([a-z][a-z0-9+.-]*:|#|/)', url, re.I): return m.group(0)
        return m.group(1) + Path(os.path.relpath(nb_dir/url, ROOT)).as_posix()
    return _LINK.sub(fix, md)


def _text(out) -> str:
    "The text of one output: stream text or text/plain, or '' (images and HTML are not text)."
    if out['output_type'] == 'stream': return ''.join(out['text'])
    return ''.join(out.get('data', {}).get('text/plain', ''))


def cell_md(cell, nb_dir: Path) -> str:
    src = ''.join(cell['source']).strip()
    if cell['cell_type'] == 'markdown': return _relink(src, nb_dir)
    if cell['cell_type'] != 'code': return ''
    directives = re.findall(r'^\s*#\|\s*([\w-]+)', src, re.M)
    if SKIP & set(directives): return ''
    code = re.sub(r'^\s*#\|.*\n?', '', src, flags=re.M).strip()
    outs = ''.join(_text(o) for o in cell.get('outputs', [])).strip('\n')
    return '\n\n'.join(filter(None, [code and f'```python\n{code}\n```', outs and f'```\n{outs}\n```']))


def results_in(md: str) -> str:
    "The text between the results table's markers in `md` ('' when they are absent)."
    if RESULTS_BEGIN not in md: return ''
    return md.split(RESULTS_BEGIN, 1)[1].split(RESULTS_END, 1)[0].strip('\n')


def with_results(nb_path: Path, table: str) -> bool:
    "Put `table` between the markers of the notebook at `nb_path` (its other bytes unchanged); True when the file changed."
    nb = json.loads(nb_path.read_text(encoding='utf-8'))
    cells = [c for c in nb['cells'] if c['cell_type'] == 'markdown' and RESULTS_BEGIN in ''.join(c['source'])]
    if len(cells) != 1: sys.exit(f'{nb_path}: expected one markdown cell holding the line {RESULTS_BEGIN!r}, found {len(cells)}')
    md = ''.join(cells[0]['source'])
    before, rest = md.split(RESULTS_BEGIN, 1)
    if RESULTS_END not in rest: sys.exit(f'{nb_path}: the results table has no end marker {RESULTS_END!r}')
    new = before + RESULTS_BEGIN + '\n' + table + '\n' + RESULTS_END + rest.split(RESULTS_END, 1)[1]
    if new == md: return False
    cells[0]['source'] = new.splitlines(keepends=True)
    nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')
    return True


def make_readme(nb_path: Path = None) -> str:
    nb_path = nb_path or readme_nb()
    nb = json.loads(nb_path.read_text(encoding='utf-8'))
    return '\n\n'.join(filter(None, [HEADER, *(cell_md(c, nb_path.parent) for c in nb['cells'])])) + '\n'


if __name__ == '__main__':
    from clipnb.taf.results import results_table
    if with_results(readme_nb(), results_table(ROOT/'figures')): print(f'rewrote the results table in {readme_nb().relative_to(ROOT)} from figures/*.csv', file=sys.stderr)
    (ROOT/'README.md').write_text(make_readme(), encoding='utf-8')
    print(f'wrote README.md from {readme_nb().relative_to(ROOT)}', file=sys.stderr)
