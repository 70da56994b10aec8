"The package's layout: every module imports, no test library is imported with the package, and nothing shared names a method."
import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted('clipnb.' + '.'.join(p.relative_to(ROOT/'clipnb').with_suffix('').parts)
                 for p in (ROOT/'clipnb').rglob('*.py') if p.name not in ('__init__.py', '_modidx.py'))

def test_every_module_imports_without_test_libraries():
    code = f"import sys, importlib\nfor m in {MODULES!r}: importlib.import_module(m)\n" \
           "print(sorted(k for k in sys.modules if k.split('.')[0] in ('pytest', 'hypothesis', 'nbdev') or k == 'fastcore.test'))"   # (torch itself imports unittest)
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == '[]', r.stdout

def test_shared_layers_do_not_import_a_method():
    "Arrows go one way: data -> models -> engine -> methods (taf, later dff, ssltm) -> experiments; shared layers import no method package."
    methods = ('taf', 'dff', 'ssltm')
    for p in [*(ROOT/'clipnb').glob('*.py'), *(ROOT/'clipnb'/'data').glob('*.py'), *(ROOT/'clipnb'/'models').glob('*.py'),
              *(ROOT/'clipnb'/'engine').glob('*.py')]:
        if p.name == '_modidx.py': continue          # nbdev's index of every module, for docs links
        text = p.read_text()
        for m in methods:
            assert f'from .{m}' not in text and f'from ..{m}' not in text and f'clipnb.{m}' not in text, (p, m)
