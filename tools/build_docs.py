"""Build the docs site, offline: nbs/*.ipynb -> _proc/*.ipynb -> _docs/ (HTML).

1. Execute each notebook as `nbdev_test` does (execnb, in its own folder; cells flagged with a
   `tst_flags` flag such as `#| slow`, or `#| eval: false`, are skipped), so figures and example
   outputs are in the page.
2. Run nbdev's own docs processors (`FilterDefaults`, what `nbdev_proc_nbs` applies): title from the
   `# title` / `> summary` cell, `show_doc` cells added and executed for every export, `#| hide` and
   export cells dropped. The result goes to `_proc/<page>.ipynb`, `<page>` being nbdev's page name
   (`data.clips`), so nbdev's cross-links (`clipnb/_modidx.py`) point at real pages.
3. The experiment notebooks (nbs/experiments/, not exported) are pages too: executed at the `smoke`
   preset only to check that they run (the executed copies of `make test-experiments` in
   build/smoke/executed are taken when they are there, else tools/run_experiments.py makes them), and
   shown without those outputs but with the committed quick-preset figure (figures/<name>.png), its
   CSV and the paper's finding, our numbers and the verdict from the results table of nbs/index.ipynb.
4. Every page starts with "source" links to its notebook (and exported module) in the repository:
   the URL is the git remote `origin` when there is one, else settings.ini's `git_url`.
5. Render `_proc/` with mkdocs + mkdocs-jupyter (settings in `mkdocs.yml`), the navigation grouped as
   the architecture is (home and core, then Data, Models, Engine, TAF, semi-DFF, SSLTM, Experiments;
   a group without notebooks yet is left out, explore last), and strip the scripts that would fetch
   from a CDN.
   Maths (`$..$`, `$$..$$`) is converted to MathML by latex2mathml beforehand: browsers draw MathML
   themselves, so the site needs no MathJax (which no package ships for offline use).

We do not call the `nbdev_proc_nbs` command itself: without Quarto it tries to install Quarto with
sudo and then runs `pip install -e .[dev]` with whatever `pip` is first on PATH; it also rewrites
`clipnb/_modidx.py` and writes quarto files into nbs/. Its processors are all we need.

Usage: python tools/build_docs.py [--serial] [--experiments DIR]   (DIR: executed smoke copies, default build/smoke/executed)
"""
import configparser, json, os, re, shutil, subprocess, sys, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP_FOLDERS = r'^(experiments|[_.].*)$'  # as NBDEV_SKIP in the Makefile
GROUPS = [('Data', 'data'), ('Models', 'models'), ('Engine', 'engine'), ('TAF', 'taf'), ('semi-DFF', 'dff'), ('SSLTM', 'ssltm'),
          ('Experiments', 'experiments')]     # nav groups, by the page name's first part (the package), as the architecture
EXECUTED = ROOT/'build'/'smoke'/'executed'  # where `make test-experiments` leaves the executed smoke copies


def repo_url() -> tuple:
    "(https URL of the repository, branch): git remote `origin` when it is a web URL, else settings.ini's `git_url` and `branch`."
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini', encoding='utf-8'); cfg = cfg['DEFAULT']
    r = subprocess.run(['git', 'remote', 'get-url', 'origin'], cwd=ROOT, capture_output=True, text=True)
    origin = r.stdout.strip() if r.returncode == 0 else ''
    def web(url):                      # git@host:owner/repo.git -> https://host/owner/repo; a local path (a clone of a clone) -> None
        url = re.sub(r'\.git$', '', re.sub(r'^git@([^:]+):', r'https://\1/', url.strip())).rstrip('/')
        return url if re.match(r'^https?://', url) else None
    url = web(origin) or web(cfg.get('git_url', ''))
    if url is None:
        raise SystemExit(f"no repository URL for the source links: git remote origin is {origin!r} and settings.ini's git_url {cfg.get('git_url')!r}")
    return url, cfg.get('branch', 'main')


def source_links(src: Path, module: str = None) -> str:
    "A markdown line linking the page's notebook (and exported module) in the repository."
    url, branch = repo_url()
    files = [src.relative_to(ROOT).as_posix()] + ([module] if module else [])
    return 'source: ' + ' · '.join(f'<a class="source-link" href="{url}/blob/{branch}/{f}">{f}</a>' for f in files)


def nav_of(pages: list) -> list:
    "mkdocs nav: home and the top-level pages, the groups of GROUPS with pages (in file order), `explore` last."
    top, groups, last = [], {g: [] for g, _ in GROUPS}, []
    by_pkg = {pkg: g for g, pkg in GROUPS}
    for page, title in pages:
        g = by_pkg.get(page.split('.')[0]) if '.' in page or page == 'experiments' else None
        (groups[g] if g else last if page == 'explore' else top).append({title: f'{page}.ipynb'})
    return top + [{g: groups[g]} for g, _ in GROUPS if groups[g]] + last


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
    exp = next((m.group(1) for c in read_nb(src).cells if c.cell_type == 'code'
                for m in [re.search(r'^#\|\s*default_exp\s+(\S+)', c.source, re.M)] if m), None)
    _add_after_title(nb, source_links(src, exp and f"clipnb/{exp.replace('.', '/')}.py"))
    write_nb(nb, proc/f'{page}.ipynb')
    return page, nb.frontmatter_.get('title', page), time.time() - t0


def _add_after_title(nb, md: str):
    "Insert a markdown cell `md` after the page's title cell."
    from execnb.nbio import mk_cell
    at = next((i + 1 for i, c in enumerate(nb.cells) if c.cell_type == 'markdown' and c.source.lstrip().startswith('# ')), 0)
    c = mk_cell(md, 'markdown'); c['id'] = f'clipnb-{len(nb.cells)}-{at}'      # an id of its own (mk_cell's may repeat)
    nb.cells.insert(at, c)


def results_table() -> dict:
    "The rows of the results table in nbs/index.ipynb by notebook name: {name: (paper, finding, ours, verdict)}."
    nb = json.loads((ROOT/'nbs'/'index.ipynb').read_text(encoding='utf-8'))
    rows = {}
    for c in nb['cells']:
        for line in ''.join(c['source']).splitlines():
            cols = [x.strip() for x in line.strip().strip('|').split('|')]
            if len(cols) == 5 and re.fullmatch(r'`\w+`', cols[1]):   # the first row: a notebook's EXTRA set of other settings comes later
                rows.setdefault(cols[1].strip('`'), (cols[0], cols[2], cols[3], cols[4]))
    return rows


def _papermill_cell(c) -> bool: return 'injected-parameters' in c.get('metadata', {}).get('tags', [])
def _sources(nb) -> list: return [c.source for c in nb.cells if not _papermill_cell(c)]


def executed_smoke(names: list, folder: Path) -> dict:
    "name -> the experiment notebook executed at the smoke preset: taken from `folder`, or run there now (tools/run_experiments.py)."
    from execnb.nbio import read_nb
    def current(n):
        f = folder/f'{n}-smoke.ipynb'
        return f.is_file() and _sources(read_nb(f)) == _sources(read_nb(ROOT/'nbs'/'experiments'/f'{n}.ipynb'))
    missing = [n for n in names if not current(n)]      # absent, or executed from an older version of the notebook
    if missing:
        print(f'executing {missing} at the smoke preset into {folder} (make test-experiments leaves them there)', flush=True)
        r = subprocess.run([sys.executable, str(ROOT/'tools'/'run_experiments.py'), *missing, '--preset', 'smoke', '--executed', str(folder),
                            '--out_dir', str(folder.parent), '--runs_dir', str(folder.parent/'runs')], cwd=ROOT)
        if r.returncode: raise SystemExit(f'experiment notebooks failed at the smoke preset: see above ({folder})')
    return {n: folder/f'{n}-smoke.ipynb' for n in names}


def render_experiment(src: Path, executed: Path, proc: Path, table: dict) -> tuple:
    "The page of experiment notebook `src`: its cells without the smoke run's outputs, and the committed quick-preset results."
    from execnb.nbio import read_nb, write_nb
    name = src.stem
    nb = read_nb(executed)
    nb.cells = [c for c in nb.cells if not _papermill_cell(c)]     # the parameters papermill gave the smoke run
    for c in nb.cells:
        if c.cell_type == 'code':
            if any(o.get('output_type') == 'error' for o in c.get('outputs', [])): raise SystemExit(f'{executed}: a cell failed at the smoke preset')
            c.outputs, c.execution_count = [], None
    title = next((c.source.lstrip()[2:].splitlines()[0] for c in nb.cells if c.cell_type == 'markdown' and c.source.lstrip().startswith('# ')), name)
    title = re.sub(r'`([^`]*)`', r'\1', title)                      # the nav shows plain text
    figs = sorted((ROOT/'figures').glob(f'{name}*.png'))
    if not figs: raise SystemExit(f'figures/ has no {name}.png: run make figures and commit it')
    md = ["## Results at the quick preset (committed)", "",
          f"What `make figures` made on a 2-core CPU (figures/{name}.png and [{name}.csv](figures/{name}.csv), raw numbers with seeds, "
          "settings and code version). This page's code ran at the `smoke` preset in the docs build, only to check that it runs; its "
          "outputs are left out, as smoke numbers mean nothing.", ""]
    if name in table:
        paper, finding, ours, verdict = table[name]
        md += ['| paper | paper\'s finding | ours (quick preset) | verdict |', '|---|---|---|---|', f'| {paper} | {finding} | {ours} | {verdict} |', '']
    md += [f'![{name}](../../figures/{f.name})' for f in figs]
    nb.cells = [c for c in nb.cells if c.source.strip()]
    _add_after_title(nb, '\n'.join(md))
    _add_after_title(nb, source_links(src))
    shutil.copy2(ROOT/'figures'/f'{name}.csv', (proc/'figures').mkdir(parents=True, exist_ok=True) or proc/'figures'/f'{name}.csv')
    nb.path_ = str(src)
    nb = _tidy(nb, 'http://localhost/', proc)
    page = f'experiments.{name}'
    write_nb(nb, proc/f'{page}.ipynb')
    return page, title


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


def one_thread():
    """A docs worker's torch (and OpenMP/MKL) on one thread: two workers of two threads each on two cores spin, and two training
    notebooks side by side took 6x as long (46_dff.paper: 208 s in the build, 34 s alone)."""
    os.environ.update(OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    import torch
    torch.set_num_threads(1)


def build(serial=False, experiments: Path = EXECUTED):
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
    else:  # forked worker processes, one per core, as nbdev_test runs notebooks, each on one thread (`one_thread`)
        with ProcessPoolExecutor(min(len(srcs), os.cpu_count() or 1), mp_context=get_context('fork'), initializer=one_thread) as ex:
            pages = list(ex.map(render, srcs, [proc]*len(srcs)))
    for (page, title, secs), src in zip(pages, srcs): print(f'{secs:5.1f}s  {src.name} -> _proc/{page}.ipynb')
    exps = sorted((ROOT/cfg.nbs_path/'experiments').glob('*.ipynb'))
    done, table = executed_smoke([e.stem for e in exps], Path(experiments).resolve()), results_table()
    exp_pages = [render_experiment(e, done[e.stem], proc, table) for e in exps]
    t1 = time.time()
    nav = nav_of([(page, title) for page, title, _ in pages] + exp_pages)
    mkdocs_build(load_config(str(ROOT/'mkdocs.yml'), nav=nav, site_name=cfg.title, site_description=cfg.description))
    offline(site)
    print(f'executed and processed {len(srcs)} notebooks in {t1-t0:.1f}s, rendered _docs/ in {time.time()-t1:.1f}s')


if __name__ == '__main__':
    args = sys.argv[1:]
    build(serial='--serial' in args, experiments=Path(args[args.index('--experiments') + 1]) if '--experiments' in args else EXECUTED)
