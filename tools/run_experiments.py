"""Run the experiment notebooks of nbs/experiments/ through papermill, one after the other.

    python tools/run_experiments.py                      # every notebook at its default (quick) preset -> figures/
    python tools/run_experiments.py --preset smoke        # seconds each; writes to a scratch folder
    python tools/run_experiments.py table1 ablation_cr --out_dir build/figures --runs_dir build/runs
    python tools/run_experiments.py taf_vs_baseline -p steps 300 --out_dir figures/steps300   # any notebook parameter
    python tools/run_experiments.py --preset smoke --jobs 2 --runs_dir build/smoke-runs   # two notebooks at a time (CI)

Each notebook runs from a fresh temporary working directory (they must not depend on it); the executed
copies go to --executed. With --log-output the notebooks' own output (a line per training run as it starts,
progresses and ends, then the notebook's table and verdict) streams to the terminal as it comes; without it,
each notebook's verdict lines are printed when it is done. Prints each notebook's time; exits 1 naming the
notebooks that failed.

At the quick preset with no -p, a notebook listed in EXTRA runs again with each of its extra parameter sets right
after its default run (--no-extra: not): rows its default run leaves out so that one cold run fits in 15 minutes.
A notebook redraws its figure from every result in its results folder, so the committed figure holds both; a set
with a `subdir` (other settings, such as more steps) writes its own figure into that folder of the figure folder.
"""
import argparse, os, sys, tempfile, time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
import nbformat, papermill as pm, yaml

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = ROOT/'nbs'/'experiments'
ORDER = ['taf_vs_baseline', 'table1', 'ablation_swap', 'ablation_attenuation', 'ablation_perclass_cr', 'ablation_cr', 'ablation_loss_scale', 'ablation_context',
         'dff_table1', 'dff_interval', 'dff_ablations', 'dff_table2_4', 'ssltm_table1', 'ssltm_stt_visual', 'ssltm_reference',
         'ssltm_gcc', 'ssltm_mean_teacher']

# (notebook -> extra parameter sets): table1's DeepLabV3+ row (2 seeds, about 5 min) beside its default FCN8s row;
# ablation_cr's baseline band (2 runs) beside the finding's three points; dff_table2_4's one-stage rows (SSDlite320,
# 2 x about 4 min) and its Table 4 (a second stage 1 and its runs, about 12 min); ssltm_table1's image baseline and
# SSLTM rows at 5x the steps (3 seeds, about 27 min), whether Mean Teacher's lag is the short budget's, and the same rows on
# Swin-T (supplement Table 1's backbone family; 3 seeds, 60 steps). `subdir`: the
# set's results and figure go to that folder below the figure folder (its settings differ: a figure of its own).
EXTRA = {'table1': [dict(models=['deeplabv3plus_mobilenetv2'])], 'ablation_cr': [dict(baseline=True)],
         'dff_table2_4': [dict(rows=['one-stage']), dict(tables=['4'], rows=['frame', 'copy', 'flow', 'DFF', 'reg', 'sem', 'semi-DFF']),
                          dict(tables=['4'], rows=['one-stage'])],
         'ssltm_table1': [dict(steps=300, rows=['deeplabv3plus', 'ssltm', 'ssltm_mt'], subdir='budget300'),
                          dict(model='deeplabv3plus_swin_t', rows=['deeplabv3plus', 'ssltm', 'ssltm_mt'], subdir='swin_t')]}

def notebooks(names):
    found = {p.stem: p for p in sorted(EXPERIMENTS.glob('*.ipynb'))}
    if unknown := [n for n in names if n not in found]: sys.exit(f"unknown experiment(s) {unknown}; valid: {sorted(found)}")
    chosen = names or sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    return [found[n] for n in chosen]

def verdicts(path):
    text = ''.join(o.get('text', '') for c in nbformat.read(path, 4).cells for o in c.get('outputs', []) if o.get('name') == 'stdout')
    return [l for l in text.splitlines() if 'finding' in l]

def run_notebook(nb: Path, runs: list, params: dict, executed: Path, preset, log_output: bool) -> list:
    "Execute `nb` once per parameter set in `runs` (in order: they share its results folder); [(name, minutes or None, error, executed copy)]."
    done = []
    for run in runs:
        if 'subdir' in run:
            run = {k: v for k, v in run.items() if k != 'subdir'} | {'out_dir': str(Path(params.get('out_dir') or ROOT/'figures')/run['subdir'])}
        out = executed/f"{nb.stem}{'-' + preset if preset else ''}{''.join(f'-{k}' for k in run)}.ipynb"
        name = nb.stem + (f' {run}' if run else '')
        if log_output: print(f"== {nb.stem} {({**params, **run})}", flush=True)
        t0 = time.perf_counter()
        try:
            with tempfile.TemporaryDirectory() as cwd:
                # papermill's log_output goes through `logging` (unconfigured here: only its warnings showed), so
                # the kernel's streams are copied to ours instead.
                stream = dict(stdout_file=sys.stdout, stderr_file=sys.stderr) if log_output else {}
                pm.execute_notebook(str(nb), str(out), parameters={**params, **run}, kernel_name='python3', cwd=cwd,
                                    progress_bar=False, **stream)
        except pm.PapermillExecutionError as e:
            done.append((name, None, f"{e.ename}: {e.evalue}", out)); break
        done.append((name, (time.perf_counter() - t0) / 60, None, out))
    return done

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('names', nargs='*', help='experiment notebooks (default: all, in a fixed order)')
    ap.add_argument('--preset', help='smoke, quick or paper (default: the notebooks\' own, quick)')
    ap.add_argument('--out_dir', help='figure folder (default: figures/; smoke: a scratch folder)')
    ap.add_argument('--runs_dir', help='trained-run cache (default: cache_dir()/runs)')
    ap.add_argument('--executed', default=str(ROOT/'build'/'experiments'), help='where executed notebooks go')
    ap.add_argument('-p', '--parameter', nargs=2, action='append', default=[], metavar=('NAME', 'VALUE'),
                    help='a notebook parameter, its value read as YAML (as papermill -y does): -p steps 300, -p seeds "[0, 1]"')
    ap.add_argument('--no-extra', action='store_true', help="at quick, run only each notebook's default (not EXTRA's runs)")
    ap.add_argument('--jobs', type=int, default=1, help='notebooks run at once (default 1); above 1 each runs on one thread and gets '
                    'its own run cache <runs_dir>/<notebook>, so no two train the same run at the same time (needs --runs_dir; '
                    'for smoke checks, not figures: the thread count changes the numbers)')
    ap.add_argument('--log-output', action='store_true', help="stream the notebooks' output (stdout and stderr) to the terminal")
    a = ap.parse_args()
    if a.jobs < 1: ap.error(f'--jobs {a.jobs}: expected a number of notebooks >= 1')
    if a.jobs > 1 and not a.runs_dir: ap.error('--jobs above 1 needs --runs_dir (each notebook gets its own run cache below it)')
    if a.jobs > 1 and a.log_output: ap.error('--log-output needs --jobs 1 (the notebooks\' streams would interleave)')
    params = {k: v for k, v in dict(preset=a.preset, out_dir=a.out_dir and str(Path(a.out_dir).resolve()),
                                    runs_dir=a.runs_dir and str(Path(a.runs_dir).resolve())).items() if v is not None}
    params.update({k: yaml.safe_load(v) for k, v in a.parameter})
    executed = Path(a.executed).resolve(); executed.mkdir(parents=True, exist_ok=True)
    extra = not (a.no_extra or a.parameter or a.preset not in (None, 'quick'))
    tasks = [(nb, [{}, *(EXTRA.get(nb.stem, []) if extra else [])]) for nb in notebooks(a.names)]
    own_cache = lambda nb: {**params, 'runs_dir': str(Path(params['runs_dir'])/nb.stem)} if a.jobs > 1 else params
    failed, summary = [], []
    def report(done):
        for name, took, error, out in done:
            if error: failed.append(name); print(f"!! {name} failed: {error} (executed copy: {out})", flush=True); continue
            summary.append(f"{name}: {took:.1f} min")
            print(f"== {name}: {took:.1f} min (executed copy: {out})", *([] if a.log_output else verdicts(out)), sep='\n   ', flush=True)
    if a.jobs == 1:
        for nb, runs in tasks: report(run_notebook(nb, runs, params, executed, a.preset, a.log_output))
    else:
        # one thread per notebook: N notebooks of 2 OpenMP threads each on N cores made each about 4x slower (threads
        # spinning while they wait for a core); the numbers change with the thread count, so never for figures
        print(f"== {len(tasks)} notebooks, {a.jobs} at a time, one thread each {params}", flush=True)
        os.environ.update(OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')   # inherited by the workers and their kernels
        with ProcessPoolExecutor(a.jobs) as ex:
            for f in as_completed([ex.submit(run_notebook, nb, runs, own_cache(nb), executed, a.preset, False) for nb, runs in tasks]):
                report(f.result())
    if len(summary) > 1: print('\n'.join(['== times:', *summary]))
    if failed: sys.exit(f"failed: {failed}")

if __name__ == '__main__': main()
