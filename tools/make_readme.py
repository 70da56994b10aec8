"""Write README.md from the docs home, nbs/index.ipynb (settings.ini `readme_nb`); `make readme` runs it.

First the results tables in nbs/index.ipynb (each between its pair of comment lines in TABLES) are
rewritten from figures/*.csv (or the CSVs of a folder below it) by their method's `results_table`
(clipnb.taf.results, clipnb.dff.results, clipnb.ssltm.results),
so the tables and their verdicts are what the committed CSVs say; then README.md is written from the notebook.

Markdown cells go in as they are (relative links rewritten to start from the repository root), code
cells as fenced python followed by their saved text outputs; cells marked `#| hide` (or export
directives) are left out and other `#|` directive lines are dropped. Quarto cannot be installed here,
so nbdev_readme is not an option. tests/test_readme.py fails when README.md is out of date, or when the
results table differs from what the CSVs give.
"""
import importlib, json, os, re, sys
from configparser import ConfigParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = '<!-- Generated from nbs/index.ipynb by tools/make_readme.py (`make readme`): edit the notebook, not this file. -->'
SKIP = {'hide', 'export', 'exporti', 'default_exp'}  # as nbdev's docs processors drop them
_LINK = re.compile(r'(\]\()([^)\s]+)')
RESULTS_BEGIN = '<!-- the results table: written by `make readme` from figures/*.csv (clipnb.taf.results); do not edit by hand -->'
RESULTS_END = '<!-- end of the results table -->'
DFF_BEGIN = '<!-- the semi-DFF results table: written by `make readme` from figures/dff_*.csv (clipnb.dff.results); do not edit by hand -->'
DFF_END = '<!-- end of the semi-DFF results table -->'
SSLTM_BEGIN = '<!-- the SSLTM results table: written by `make readme` from figures/ssltm_*.csv (clipnb.ssltm.results); do not edit by hand -->'
SSLTM_END = '<!-- end of the SSLTM results table -->'
BUDGET_BEGIN = '<!-- the SSLTM 300-step table: written by `make readme` from figures/budget300/*.csv (clipnb.ssltm.results); do not edit by hand -->'
BUDGET_END = '<!-- end of the SSLTM 300-step table -->'
SWIN_BEGIN = '<!-- the SSLTM Swin-T table: written by `make readme` from figures/swin_t/*.csv (clipnb.ssltm.results); do not edit by hand -->'
SWIN_END = '<!-- end of the SSLTM Swin-T table -->'
TABLES = [(RESULTS_BEGIN, RESULTS_END, 'clipnb.taf.results', ''), (DFF_BEGIN, DFF_END, 'clipnb.dff.results', ''),
          (SSLTM_BEGIN, SSLTM_END, 'clipnb.ssltm.results', ''),
          (BUDGET_BEGIN, BUDGET_END, 'clipnb.ssltm.results', 'budget300'), (SWIN_BEGIN, SWIN_END, 'clipnb.ssltm.results', 'swin_t')]   # (markers, module with results_table, folder below figures/)


def results_table(module: str, folder: str = '') -> str:
    "`module`'s results table from the CSVs in figures/<folder>; below figures/ (an EXTRA set's own folder) only the rows of the CSVs there."
    where = ROOT/'figures'/folder
    lines = importlib.import_module(module).results_table(where).splitlines()
    if folder: lines = lines[:2] + [l for l in lines[2:] if (where/f"{l.split('`')[1]}.csv").is_file()]
    return '\n'.join(lines)


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


def results_in(md: str, begin: str = RESULTS_BEGIN, end: str = RESULTS_END) -> str:
    "The text between a results table's markers `begin` and `end` in `md` ('' when they are absent)."
    if begin not in md: return ''
    return md.split(begin, 1)[1].split(end, 1)[0].strip('\n')


def with_results(nb_path: Path, table: str, begin: str = RESULTS_BEGIN, end: str = RESULTS_END) -> bool:
    "Put `table` between the markers `begin` and `end` of the notebook at `nb_path` (its other bytes unchanged); True when the file changed."
    nb = json.loads(nb_path.read_text(encoding='utf-8'))
    cells = [c for c in nb['cells'] if c['cell_type'] == 'markdown' and begin in ''.join(c['source'])]
    if len(cells) != 1: sys.exit(f'{nb_path}: expected one markdown cell holding the line {begin!r}, found {len(cells)}')
    md = ''.join(cells[0]['source'])
    before, rest = md.split(begin, 1)
    if end not in rest: sys.exit(f'{nb_path}: the results table has no end marker {end!r}')
    new = before + begin + '\n' + table + '\n' + end + rest.split(end, 1)[1]
    if new == md: return False
    cells[0]['source'] = new.splitlines(keepends=True)
    nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')
    return True


def make_readme(nb_path: Path = None) -> str:
    nb_path = nb_path or readme_nb()
    nb = json.loads(nb_path.read_text(encoding='utf-8'))
    return '\n\n'.join(filter(None, [HEADER, *(cell_md(c, nb_path.parent) for c in nb['cells'])])) + '\n'


if __name__ == '__main__':
    for begin, end, module, folder in TABLES:
        if with_results(readme_nb(), results_table(module, folder), begin, end):
            print(f'rewrote the results table of {module} in {readme_nb().relative_to(ROOT)} from figures/{folder + "/" if folder else ""}*.csv', file=sys.stderr)
    (ROOT/'README.md').write_text(make_readme(), encoding='utf-8')
    print(f'wrote README.md from {readme_nb().relative_to(ROOT)}', file=sys.stderr)
