"""The docs site in a real browser: build it (tools/build_docs.py, what `make docs` runs; under `make test`, the
site its test-nbs step just built), serve _docs/ on 127.0.0.1, open it in headless Chromium (Debian's,
`make browser`) and check what a reader sees."""
import os, re, shutil, subprocess, sys, threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync']  # playwright adds --headless and a fresh profile


@pytest.fixture(scope='module')
def site():
    "Build the site from the notebooks (with CLIPNB_DOCS_BUILT=1, as `make test` sets it: take the one its test-nbs just built); return _docs/."
    if os.environ.get('CLIPNB_DOCS_BUILT'):
        assert (ROOT/'_docs'/'index.html').is_file(), 'CLIPNB_DOCS_BUILT is set but _docs/ has no site: run `make test-nbs` (tools/build_docs.py) first'
        return ROOT/'_docs'
    env = {**os.environ, 'PYTHONPATH': str(ROOT)}
    r = subprocess.run([sys.executable, 'tools/build_docs.py'], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)  # with the experiments at smoke when build/smoke/executed lacks them
    assert r.returncode == 0, f'docs build failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}'
    return ROOT/'_docs'


@pytest.fixture(scope='module')
def base_url(site):
    "Serve `site` on 127.0.0.1 at a free port."
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    httpd = ThreadingHTTPServer(('127.0.0.1', 0), partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{httpd.server_address[1]}'
    httpd.shutdown(); httpd.server_close()


@pytest.fixture(scope='module')
def browser_page(base_url):
    "A Chromium page that may only talk to 127.0.0.1; `page.remote` lists what it tried to fetch elsewhere."
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), f'{CHROMIUM} not found: run `make browser`'
    remote = []
    def route(r):
        host = urlparse(r.request.url).hostname
        if host == '127.0.0.1': r.continue_()
        else: remote.append(r.request.url); r.abort()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        page.route('**/*', route)
        page.remote = remote
        yield page
        browser.close()


def open_page(page, url):
    "Load `url`; check it fetched nothing from the internet; return the article's text."
    page.goto(url, wait_until='load')
    assert page.remote == [], f'{url} tried to fetch from the internet: {page.remote[:5]}'
    return page.locator('article').inner_text()


def nav_links(page, base_url) -> list:
    "Absolute URLs of the pages in the site's navigation."
    hrefs = page.eval_on_selector_all('nav.md-nav--primary a.md-nav__link[href]', 'as => as.map(a => a.href)')
    return sorted({h.split('#')[0] for h in hrefs if h.startswith(base_url)})


def images_loaded(page) -> tuple:
    "(number of <img>, the src of those that did not load)"
    imgs = page.eval_on_selector_all('img', 'is => is.map(i => [i.src.slice(0, 60), i.complete && i.naturalWidth > 0])')
    return len(imgs), [src for src, ok in imgs if not ok]


def test_home_page(browser_page, base_url):
    text = open_page(browser_page, f'{base_url}/index.html')
    assert browser_page.locator('article h1').first.inner_text().strip() == 'clipnb'
    assert 'partially annotated clips' in text and 'make demo' in text
    assert browser_page.title().startswith('clipnb')


def test_module_page_prose_and_api(browser_page, base_url):
    text = open_page(browser_page, f'{base_url}/data.clips.html')
    assert browser_page.locator('article h1').first.inner_text().strip() == 'data.clips'
    assert "is TAF's sampler" in text                     # prose
    api = browser_page.locator('article h3#pairdataset')  # show_doc of the class defined there
    assert api.count() == 1, 'no API docs for PairDataset'
    doc = api.locator('xpath=..').inner_text()         # the show_doc output around the heading
    assert 'n_h:int=15' in doc and 'TAF pairs: a labelled key frame' in doc, doc
    assert 'test_eq(set(ns)' not in text and '#|' not in text  # `#| hide` cells and directives stay out
    assert browser_page.locator('article math').count() > 0 and '$x_t$' not in text, 'maths drawn as MathML, not raw TeX'


def test_navigation(browser_page, base_url):
    open_page(browser_page, f'{base_url}/data.clips.html')
    links = nav_links(browser_page, base_url)
    assert f'{base_url}/index.html' in links and f'{base_url}/core.html' in links, links
    browser_page.locator('nav.md-nav--primary a.md-nav__link[href="core.html"]').first.click()
    browser_page.wait_for_load_state('load')
    assert browser_page.url == f'{base_url}/core.html'
    assert browser_page.locator('article h1').first.inner_text().strip() == 'core'


def test_images_load(browser_page, base_url):
    "Every <img> on every page loads, and the site shows figures at all."
    open_page(browser_page, f'{base_url}/index.html')
    counts = {}
    for url in nav_links(browser_page, base_url):
        open_page(browser_page, url)
        counts[url], broken = images_loaded(browser_page)
        assert not broken, f'{url}: images did not load: {broken}'
    assert sum(counts.values()) > 0, f'no page shows a figure: {counts}'


def repo():
    "(repository URL, branch) the site's source links use (tools/build_docs.py's repo_url)."
    sys.path.insert(0, str(ROOT/'tools'))
    from build_docs import repo_url
    return repo_url()


def source_links(page) -> list:
    return page.eval_on_selector_all('article a.source-link', 'as => as.map(a => a.getAttribute("href"))')


def test_navigation_is_grouped_as_the_architecture(browser_page, base_url):
    open_page(browser_page, f'{base_url}/index.html')
    groups = [t.strip() for t in browser_page.eval_on_selector_all(
        'nav.md-nav--primary .md-nav__item--nested > label.md-nav__link', 'ls => ls.map(l => l.textContent)')]
    sys.path.insert(0, str(ROOT/'tools'))
    from build_docs import GROUPS
    has = lambda pkg: pkg == 'experiments' or any(re.match(rf'^\d+[a-z]?_{pkg}(\.|$)', f.stem) for f in (ROOT/'nbs').glob('*.ipynb'))
    expected = [g for g, pkg in GROUPS if has(pkg)]          # the architecture's order; a package without notebooks yet: no group
    assert [g for g in groups if g] == expected, (groups, expected)
    assert expected[:4] == ['Data', 'Models', 'Engine', 'TAF'] and expected[-1] == 'Experiments'


@pytest.mark.parametrize('page,title,notebook,module,text', [
    ('data.clips', 'data.clips', 'nbs/01_data.clips.ipynb', 'clipnb/data/clips.py', "is TAF's sampler"),
    ('models.fcn', 'models.fcn', 'nbs/11_models.fcn.ipynb', 'clipnb/models/fcn.py', 'FCN8s'),
    ('engine.runs', 'engine.runs', 'nbs/23_engine.runs.ipynb', 'clipnb/engine/runs.py', 'load_run'),
    ('taf.loss', 'taf.loss', 'nbs/30_taf.loss.ipynb', 'clipnb/taf/loss.py', 'TAF'),
    ('experiments', 'experiments', 'nbs/60_experiments.ipynb', 'clipnb/experiments.py', 'seed_points'),
])
def test_a_page_per_group_with_its_source(browser_page, base_url, page, title, notebook, module, text):
    "A page of each group: its title, its text, and source links to the notebook and module in the repository."
    body = open_page(browser_page, f'{base_url}/{page}.html')
    assert browser_page.locator('article h1').first.inner_text().strip() == title
    assert text in body
    url, branch = repo()
    assert source_links(browser_page) == [f'{url}/blob/{branch}/{notebook}', f'{url}/blob/{branch}/{module}']
    assert (ROOT/notebook).is_file() and (ROOT/module).is_file()


def test_experiment_page_shows_the_committed_figure_and_verdict(browser_page, base_url):
    body = open_page(browser_page, f'{base_url}/experiments.taf_vs_baseline.html')
    assert browser_page.locator('article h1').first.inner_text().strip().startswith('Baseline vs TAF')
    assert 'Results at the quick preset (committed)' in body and 'papermill taf_vs_baseline.ipynb' in body   # results, then the notebook
    verdict = browser_page.locator('article table', has_text="ours (quick preset)").first.inner_text()
    assert 'TAF beats the baseline' in verdict and any(v in verdict for v in ('held', 'reversed', 'inconclusive')), verdict
    n, broken = images_loaded(browser_page)
    srcs = browser_page.eval_on_selector_all('article img', 'is => is.map(i => i.getAttribute("src"))')
    assert not broken and 'figures/taf_vs_baseline.png' in srcs, (srcs, broken)
    png = browser_page.evaluate('async () => { const r = await fetch("figures/taf_vs_baseline.png"); return [...new Uint8Array(await r.arrayBuffer())].length }')
    assert png == (ROOT/'figures'/'taf_vs_baseline.png').stat().st_size            # the committed figure, not a smoke one
    url, branch = repo()
    assert source_links(browser_page) == [f'{url}/blob/{branch}/nbs/experiments/taf_vs_baseline.ipynb']
    assert browser_page.locator('article a[href="figures/taf_vs_baseline.csv"]').count() == 1
