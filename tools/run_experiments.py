"""Run the experiment notebooks of nbs/experiments/ through papermill, one after the other.

    python tools/run_experiments.py                      # every notebook at its default (quick) preset -> figures/
    python tools/run_experiments.py --preset smoke        # seconds each; writes to a scratch folder
    python tools/run_experiments.py table1 ablation_cr --out_dir build/figures --runs_dir build/runs
    python tools/run_experiments.py taf_vs_baseline -p steps 300 --out_dir figures/steps300   # any notebook parameter

Each notebook runs from a fresh temporary working directory (they must not depend on it); the executed
copies go to --executed. With --log-output the notebooks' own output (a line per training run as it starts,
progresses and ends, then the notebook's table and verdict) streams to the terminal as it comes; without it,
each notebook's verdict lines are printed when it is done. Prints each notebook's time; exits 1 naming the
notebooks that failed.
"""
import argparse, sys, tempfile, time
from pathlib import Path
import nbformat, papermill as pm, yaml

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = ROOT/'nbs'/'experiments'
ORDER = ['taf_vs_baseline', 'table1', 'ablation_swap', 'ablation_attenuation', 'ablation_perclass_cr', 'ablation_cr', 'ablation_context',
         'dff_table1', 'dff_interval', 'dff_ablations', 'ssltm_table1', 'ssltm_stt_visual', 'ssltm_reference']

def notebooks(names):
    found = {p.stem: p for p in sorted(EXPERIMENTS.glob('*.ipynb'))}
    if unknown := [n for n in names if n not in found]: sys.exit(f"unknown experiment(s) {unknown}; valid: {sorted(found)}")
    chosen = names or sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    return [found[n] for n in chosen]

def verdicts(path):
    text = ''.join(o.get('text', '') for c in nbformat.read(path, 4).cells for o in c.get('outputs', []) if o.get('name') == 'stdout')
    return [l for l in text.splitlines() if 'finding' in l]

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('names', nargs='*', help='experiment notebooks (default: all, in a fixed order)')
    ap.add_argument('--preset', help='smoke, quick or paper (default: the notebooks\' own, quick)')
    ap.add_argument('--out_dir', help='figure folder (default: figures/; smoke: a scratch folder)')
    ap.add_argument('--runs_dir', help='trained-run cache (default: cache_dir()/runs)')
    ap.add_argument('--executed', default=str(ROOT/'build'/'experiments'), help='where executed notebooks go')
    ap.add_argument('-p', '--parameter', nargs=2, action='append', default=[], metavar=('NAME', 'VALUE'),
                    help='a notebook parameter, its value read as YAML (as papermill -y does): -p steps 300, -p seeds "[0, 1]"')
    ap.add_argument('--log-output', action='store_true', help="stream the notebooks' output (stdout and stderr) to the terminal")
    a = ap.parse_args()
    params = {k: v for k, v in dict(preset=a.preset, out_dir=a.out_dir and str(Path(a.out_dir).resolve()),
                                    runs_dir=a.runs_dir and str(Path(a.runs_dir).resolve())).items() if v is not None}
    params.update({k: yaml.safe_load(v) for k, v in a.parameter})
    executed = Path(a.executed).resolve(); executed.mkdir(parents=True, exist_ok=True)
    failed, summary = [], []
    for nb in notebooks(a.names):
        out = executed/f"{nb.stem}{'-' + a.preset if a.preset else ''}.ipynb"
        print(f"== {nb.stem} {params}", flush=True)
        t0 = time.perf_counter()
        try:
            with tempfile.TemporaryDirectory() as cwd:
                # papermill's log_output goes through `logging` (unconfigured here: only its warnings showed), so
                # the kernel's streams are copied to ours instead.
                stream = dict(stdout_file=sys.stdout, stderr_file=sys.stderr) if a.log_output else {}
                pm.execute_notebook(str(nb), str(out), parameters=params, kernel_name='python3', cwd=cwd,
                                    progress_bar=False, **stream)
        except pm.PapermillExecutionError as e:
            failed.append(nb.stem); print(f"!! {nb.stem} failed: {e.ename}: {e.evalue} (executed copy: {out})", flush=True)
            continue
        took = time.perf_counter() - t0
        summary.append(f"{nb.stem}: {took / 60:.1f} min")
        print(f"== {nb.stem}: {took / 60:.1f} min (executed copy: {out})", *([] if a.log_output else verdicts(out)), sep='\n   ', flush=True)
    if len(summary) > 1: print('\n'.join(['== times:', *summary]))
    if failed: sys.exit(f"failed: {failed}")

if __name__ == '__main__': main()
