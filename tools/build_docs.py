"""Build the docs site, offline: nbs/*.ipynb -> _proc/*.ipynb -> _docs/ (HTML).

1. Execute each notebook as `nbdev_test` does (execnb, in its own folder; cells flagged with a
   `tst_flags` flag such as `#| slow`, or `#| eval: false`, are skipped), so figures and example
   outputs are in the page.
2. Run nbdev's own docs processors (`FilterDefaults`, what `nbdev_proc_nbs` applies): title from the
   `# title` / `> summary` cell, `show_doc` cells added and executed for every export, `#| hide` and
   export cells dropped. The result goes to `_proc/<page>.ipynb`, `<page>` being nbdev's page name
   (`data.clips`), so nbdev's cross-links (`clipnb/_modidx.py`) point at real pages.
3. Render `_proc/` with mkdocs + mkdocs-jupyter (settings in `mkdocs.yml`, nav from the notebooks:
   index first, then the rest in file order), and strip the scripts that would fetch from a CDN.
   Maths (`$..$`, `$$..$$`) is converted to MathML by latex2mathml beforehand: browsers draw MathML
   themselves, so the site needs no MathJax (which no package ships for offline use).

We do not call the `nbdev_proc_nbs` command itself: without Quarto it tries to install Quarto with
sudo and then runs `pip install -e .[dev]` with whatever `pip` is first on PATH; it also rewrites
`clipnb/_modidx.py` and writes quarto files into nbs/. Its processors are all we need.

Usage: python tools/build_docs.py [--serial]
"""
import os, re, shutil, sys, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP_FOLDERS = r'^(experiments|[_.].*)$'  # as NBDEV_SKIP in the Makefile


def notebooks(nbs: Path) -> list:
    "The notebooks to publish: index first, then the others in file-name order."
    from nbdev.doclinks import nbglob
    nbs_ = sorted(map(Path, nbglob(nbs, skip_folder_re=SKIP_FOLDERS)), key=lambda p: p.relative_to(nbs).as_posix())
    return sorted(nbs_, key=lambda p: p.name != 'index.ipynb')


def _skip(flags):
    def skip(cell):
        "True for cells `nbdev_test` would not run."
        from nbdev.process import extract_directives
        if cell.cell_type != 'code': return True
        d = extract_directives(cell, remove=False)
        return d.get('eval:', [''])[0].lower() == 'false' or bool(flags & d.keys())
    return skip


def _md(s, host):
    "nbdev's links made relative to the site; Quarto's link attributes (`[a](b){k=\"v\"}`) as HTML."
    s = s.replace(f'({host}', '(')
    return re.sub(r'\[([^\]]*)\]\(([^)\s]+)\)\{([^}]*)\}', r'<a href="\2" \3>\1</a>', s)


_CODE = re.compile(r'(```.*?```|`[^`\n]*`)', re.S)
_DISPLAY = re.compile(r'\$\$(.+?)\$\$', re.S)
_INLINE = re.compile(r'(?<![\\$\w])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\w$])')


def _math(md: str) -> str:
    "TeX between `$..$` / `$$..$$` (outside code) as MathML, which browsers draw natively: no MathJax, no CDN."
    from latex2mathml.converter import convert
    def text(part):
        part = _DISPLAY.sub(lambda m: convert(m.group(1).strip(), display='block'), part)
        return _INLINE.sub(lambda m: convert(m.group(1)), part)
    return ''.join(p if i % 2 else text(p) for i, p in enumerate(_CODE.split(md)))


def _copy_images(md, nb_dir: Path, proc: Path):
    "Local images a markdown cell shows (`![](../figures/x.png)`, `<img src=..>`) copied into the site at their path in the repo."
    def fix(m):
        url = m.group(2); f = (nb_dir/url).resolve()
        if re.match(r'^([a-z][a-z0-9+.-]*:|/|#)', url, re.I) or not f.is_file() or ROOT not in f.parents: return m.group(0)
        dst = proc/f.relative_to(ROOT); dst.parent.mkdir(parents=True, exist_ok=True); shutil.copy2(f, dst)
        return m.group(1) + f.relative_to(ROOT).as_posix()
    return re.sub(r'(<img\b[^>]*?\bsrc=["\'])([^"\']+)', fix, re.sub(r'(!\[[^\]]*\]\()([^)\s]+)', fix, md))


def _tidy(nb, host, proc: Path):
    "Make nbdev's Quarto-oriented notebook render well in mkdocs-jupyter; `host` is the doc_host prefix of nbdev's links."
    cells = []
    for c in nb.cells:
        if not c.get('source'): continue               # hidden, exported and frontmatter-consumed cells
        for o in c.get('outputs', []):
            if 'Traceback (most recent call last)' in ''.join(o.get('text', '')):  # e.g. show_doc failing to render
                raise RuntimeError(f"{nb.path_}: cell `{c.source[:60]}` printed a traceback:\n{''.join(o.text)[-2000:]}")
        if c.cell_type == 'markdown': c.source = _math(_copy_images(_md(c.source, host), Path(nb.path_).parent, proc))
        if c.cell_type == 'raw' and c.source.startswith('---'):  # Quarto frontmatter -> a title cell
            fm = nb.frontmatter_
            c.cell_type, c.source = 'markdown', f"# {fm.get('title', '')}\n\n> {fm.get('description', '')}".rstrip('> \n')
        if c.cell_type == 'code':
            if re.search(r'^#\|\s*echo:\s*false', c.source, re.M): c.metadata['tags'] = ['hide_input']
            c.source = re.sub(r'^#\|.*\n?', '', c.source, flags=re.M).strip()
            for o in c.get('outputs', []):
                if 'data' not in o: continue
                o.data.pop('application/vnd.jupyter.widget-view+json', None)  # needs JS from a CDN: keep the text
                if 'text/markdown' in o.data: o.data['text/markdown'] = _md(''.join(o.data['text/markdown']), host)
        cells.append(c)
    nb.cells = cells
    nb.metadata.pop('widgets', None)
    return nb


def render(src: Path, proc: Path) -> tuple:
    "Execute notebook `src`, apply nbdev's docs processors, write `_proc/<page>.ipynb`; return (page, title, seconds)."
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    from fastcore.xtras import working_directory
    from nbdev.config import get_config
    from nbdev.processors import FilterDefaults
    t0 = time.time()
    os.environ['IN_TEST'] = '1'  # as nbdev_test and nbdev_proc_nbs set it
    nb = read_nb(src)
    main = sys.modules['__main__']  # IPython shells replace it; the pool needs it back to find `render` next time
    try:
        with working_directory(src.parent):
            CaptureShell(src).run_all(nb, exc_stop=True, preproc=_skip(set(get_config().tst_flags.split())))
        cfg = get_config()
        nb = _tidy(FilterDefaults()(nb) or nb, cfg.doc_host.rstrip('/') + '/' + cfg.doc_baseurl.lstrip('/'), proc)
    finally: sys.modules['__main__'] = main
    page = Path(nb.frontmatter_.get('output-file', src.stem + '.html')).stem
    write_nb(nb, proc/f'{page}.ipynb')
    return page, nb.frontmatter_.get('title', page), time.time() - t0


# a <script> that loads from http(s) (src or an import inside), or MathJax's empty src (no MathJax offline: TeX shows as text)
_CDN = re.compile(r'<script\b[^>]*>(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>\s*|<script src="">\s*</script>', re.S)


def offline(site: Path):
    "Drop scripts that load from the internet (MathJax, Mermaid, require.js); fail on any other remote asset."
    for f in site.rglob('*.html'):
        html = f.read_text(encoding='utf-8')
        html = _CDN.sub('', html)
        f.write_text(html, encoding='utf-8')
        remote = [m for m in re.findall(r'<(?:link|img|iframe|source|script)\b[^>]*>', html) if re.search(r'''(?:src|href)=["']?https?://''', m)]
        if remote: raise SystemExit(f'{f}: loads from the internet: {remote[:3]}')
    for f in list(site.rglob('*.css')):
        if re.search(r'''(@import|url\()\s*["']?(url\()?["']?https?://''', f.read_text(encoding='utf-8', errors='ignore')):
            raise SystemExit(f'{f}: loads from the internet')


def build(serial=False):
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))  # this checkout's clipnb, also in the worker processes
    os.environ['PYTHONPATH'] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get('PYTHONPATH')])])
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from nbdev.config import get_config
    cfg = get_config()
    proc, site = ROOT/'_proc', ROOT/'_docs'
    shutil.rmtree(proc, ignore_errors=True); proc.mkdir()
    t0 = time.time()
    srcs = notebooks(cfg.nbs_path)
    if serial: pages = [render(s, proc) for s in srcs]
    else:  # forked worker processes, one per core, as nbdev_test runs notebooks
        with ProcessPoolExecutor(min(len(srcs), os.cpu_count() or 1), mp_context=get_context('fork')) as ex:
            pages = list(ex.map(render, srcs, [proc]*len(srcs)))
    for (page, title, secs), src in zip(pages, srcs): print(f'{secs:5.1f}s  {src.name} -> _proc/{page}.ipynb')
    t1 = time.time()
    nav = [{title: f'{page}.ipynb'} for page, title, _ in pages]
    mkdocs_build(load_config(str(ROOT/'mkdocs.yml'), nav=nav, site_name=cfg.title, site_description=cfg.description))
    offline(site)
    print(f'executed and processed {len(srcs)} notebooks in {t1-t0:.1f}s, rendered _docs/ in {time.time()-t1:.1f}s')


if __name__ == '__main__': build(serial='--serial' in sys.argv)
