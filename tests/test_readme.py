"README.md is generated from nbs/index.ipynb (tools/make_readme.py) and must be in step with it."
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
from make_readme import _relink, make_readme, readme_nb, results_in, results_table, TABLES


def test_readme_in_step_with_index():
    assert (ROOT/'README.md').read_text(encoding='utf-8') == make_readme(), \
        'README.md differs from nbs/index.ipynb: run `make readme` (and edit the notebook, not README.md)'


def test_results_tables_from_the_csvs():
    "Each results table in nbs/index.ipynb (and so README.md) is what its method's results module reads from figures/*.csv."
    md = ''.join(''.join(c['source']) for c in json.loads(readme_nb().read_text(encoding='utf-8'))['cells'])
    for begin, end, module, folder in TABLES:
        assert begin in md and end in md, f'nbs/index.ipynb lost the markers of the {module} results table ({folder or "figures/"})'
        assert results_in(md, begin, end) == results_table(module, folder), \
            f'the {module} results table in nbs/index.ipynb differs from figures/{folder + "/" if folder else ""}*.csv: run `make readme` after `make figures`'


def test_conversion(tmp_path):
    "Markdown as is (links from the repo root), code fenced with its text output, `#| hide` cells dropped."
    cells = [dict(cell_type='markdown', metadata={}, source=['# T\n', '> s\n\n', '![fig](../figures/a.png) [web](https://x.org)']),
             dict(cell_type='code', metadata={}, outputs=[], execution_count=None, source=['#| hide\n', 'secret = 1']),
             dict(cell_type='code', metadata={}, execution_count=1, source=['#| eval: false\n', '1 + 1'],
                  outputs=[dict(output_type='execute_result', execution_count=1, metadata={}, data={'text/plain': ['2']})])]
    nb = tmp_path/'nbs'/'index.ipynb'; nb.parent.mkdir()
    nb.write_text(json.dumps(dict(cells=cells, metadata={}, nbformat=4, nbformat_minor=5)))
    md = make_readme(nb)
    assert '# T\n> s\n\n![fig](' in md and '[web](https://x.org)' in md
    assert 'secret' not in md and '#|' not in md
    assert '```python\n1 + 1\n```\n\n```\n2\n```' in md
    assert _relink('![f](../figures/a.png) [c](00_core.ipynb) [s](#x)', ROOT/'nbs') == '![f](figures/a.png) [c](nbs/00_core.ipynb) [s](#x)'
