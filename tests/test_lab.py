"""JupyterLab in a real browser, as `make lab` starts it: the pinned JupyterLab on a free 127.0.0.1 port with a token,
nbs/explore.ipynb opened in headless Chromium (Debian's, `make browser`), every cell run, and the explorer's widgets
checked: they render, the frame slider moves the picture, and a trained model's prediction shows beside the frame.

The notebook is served from a copy in a temporary folder: JupyterLab autosaves open notebooks, and the committed one
must keep no outputs. The copy runs exactly as the original (the explorer's notebook reads no file beside it)."""
import json, os, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path
from urllib.parse import urlparse
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync']
TOKEN = 'clipnb-lab-test'
RUN_ALL_S = 240          # the whole notebook: synthetic benchmark (cached after the notebook tests), a 12-step run, CamVid fixture


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    "JupyterLab serving a copy of nbs/explore.ipynb on 127.0.0.1 with a token; yields its base URL."
    tmp = tmp_path_factory.mktemp('lab')
    root, cfg = tmp/'nbs', tmp/'jupyter'
    root.mkdir(); shutil.copy(ROOT/'nbs'/'explore.ipynb', root/'explore.ipynb')
    port, log = free_port(), open(tmp/'lab.log', 'w')
    env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(cfg/'config'), 'JUPYTER_RUNTIME_DIR': str(cfg/'runtime'),
           'JUPYTERLAB_SETTINGS_DIR': str(cfg/'settings'), 'JUPYTERLAB_WORKSPACES_DIR': str(cfg/'workspaces')}
    cmd = [str(BIN/'jupyter'), 'lab', '--no-browser', f'--port={port}', '--port-retries=0', '--ip=127.0.0.1',
           f'--IdentityProvider.token={TOKEN}', f'--ServerApp.root_dir={root}', '--allow-root']
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f'http://127.0.0.1:{port}'
    try:
        t0 = time.time()
        while True:                                    # up when its API answers with the token
            try:
                with urllib.request.urlopen(f'{base}/api/status?token={TOKEN}', timeout=2) as r:
                    if r.status == 200: break
            except OSError: pass
            assert proc.poll() is None, f'jupyter lab exited with {proc.returncode}:\n{(tmp/"lab.log").read_text()[-3000:]}'
            assert time.time() - t0 < 60, f'jupyter lab did not answer in 60 s:\n{(tmp/"lab.log").read_text()[-3000:]}'
            time.sleep(0.3)
        print(f'JupyterLab up in {time.time() - t0:.1f} s')
        yield dict(base=base, log=tmp/'lab.log', root=root)
    finally:
        proc.terminate()
        try: proc.wait(20)
        except subprocess.TimeoutExpired: proc.kill(); proc.wait()
        log.close()


@pytest.fixture(scope='module')
def page(lab):
    "A Chromium page that may only talk to 127.0.0.1."
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), f'{CHROMIUM} not found: run `make browser`'
    def route(r):
        if urlparse(r.request.url).hostname == '127.0.0.1': r.continue_()
        else: r.abort()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        pg = browser.new_page(viewport=dict(width=1600, height=1000))
        pg.route('**/*', route)
        yield pg
        browser.close()


def frame_controls(pg, n: int):
    "(frame slider's handle, its readout, the picture) of the `n`-th explorer in the notebook."
    box = pg.locator('.jp-OutputArea-output .widget-vbox').nth(n)
    slider = box.locator('.widget-slider').filter(has=pg.locator('label', has_text='frame'))
    return slider.locator('.noUi-handle'), slider.locator('.widget-readout'), box.locator('img').first


def value(readout) -> str:
    "What a slider's readout shows (an <input> or an editable element, depending on the ipywidgets version)."
    return readout.evaluate('e => (e.value ?? e.textContent).trim()')


def test_explorer_runs_and_responds_in_jupyterlab(lab, page):
    t0 = time.time()
    page.goto(f"{lab['base']}/lab/tree/explore.ipynb?token={TOKEN}", wait_until='load')
    page.locator('.jp-Notebook .jp-Cell').first.wait_for(timeout=60_000)
    kernel_dialog = page.locator('.jp-Dialog .jp-Dialog-button.jp-mod-accept')
    try: kernel_dialog.wait_for(timeout=5_000); kernel_dialog.click()   # a notebook without kernelspec: take the default, Python 3
    except Exception: pass
    print(f'notebook open in {time.time() - t0:.1f} s')
    page.locator('.jp-Notebook').first.click()
    page.get_by_role('menuitem', name='Run', exact=True).click()
    page.get_by_text('Run All Cells', exact=True).click()
    # the explorer with a trained model's predictions says how many labelled pixels it gets right; then the CamVid one
    try: page.locator('.jp-OutputArea-output', has_text='labelled pixels right').first.wait_for(timeout=RUN_ALL_S * 1000)
    except Exception:
        page.screenshot(path=str(lab['root'].parent/'lab.png'), full_page=True)
        raise AssertionError(f"the notebook did not finish in {RUN_ALL_S} s (screenshot {lab['root'].parent/'lab.png'}); "
                             f"JupyterLab's log:\n{lab['log'].read_text()[-3000:]}") from None
    page.wait_for_function("document.querySelectorAll('.jp-OutputArea-output .widget-vbox').length >= 3", timeout=60_000)  # + CamVid's
    ran = time.time() - t0
    errors = page.locator('[data-mime-type="application/vnd.jupyter.error"]')
    assert errors.count() == 0, errors.first.inner_text()[-2000:]

    handle, readout, img = frame_controls(page, 0)               # the first explorer: the synthetic benchmark's train clips
    start = int(value(readout)), readout.evaluate('e => e.outerHTML')
    src = img.get_attribute('src')
    handle.focus(); page.keyboard.press('ArrowRight')
    page.wait_for_function('([el, old]) => el.getAttribute("src") !== old', arg=[img.element_handle(), src], timeout=20_000)
    assert int(value(readout)) == start[0] + 1, start[1]
    size = img.evaluate('i => [i.naturalWidth, i.naturalHeight]')
    assert size[0] > 0 and size[1] > 0, 'the new frame did not load'

    handle, readout, pimg = frame_controls(page, 1)              # the explorer with predictions: frame | prediction | change
    t = int(value(readout))                                      # an unlabelled frame (its hidden tests leave it at 11)
    pw = pimg.evaluate('i => i.naturalWidth')
    assert pw == 3 * size[0], (pw, size)                         # same clip size and scale: three panels
    text = page.locator('.jp-OutputArea-output .widget-vbox').nth(1).text_content()
    assert 'baseline run' in text and f'% of pixels changed class since frame {t - 1}' in text, text
    psrc = pimg.get_attribute('src')
    handle.focus(); page.keyboard.press('ArrowRight')
    page.wait_for_function('([el, old]) => el.getAttribute("src") !== old', arg=[pimg.element_handle(), psrc], timeout=20_000)
    page.locator('.jp-OutputArea-output', has_text=f'changed class since frame {t}').first.wait_for(timeout=20_000)
    print(f'notebook opened and run in {ran:.1f} s; test done in {time.time() - t0:.1f} s')
