"""The reproduction check of `make test`: `make demo`'s numbers equal the committed figures/taf_vs_baseline.csv
to the last digit.

Runs the taf_vs_baseline notebook at its default (quick) preset, as `make demo` does, but with a fresh runs
folder (build/demo-runs: every run trained again) and into build/demo (never figures/), then compares the two
CSVs row by row (rows matched on method and seed): both must have the same columns, each equal as text, so a
changed last digit fails, except the ones that name the code (`code`, and `key` and `run`, which hash it). A different code
version is reported and the numbers are compared all the same: a code change that leaves them alone passes.

`--seeds 0` reproduces the rows of seed 0 only (baseline, TAF and its control), which is what `make test` runs: each seed is
an independent run with its own RNG stream, so one seed exercises every code path of the demo, and training
every seed (5, 15 runs) would take most of CI's 20-minute budget alone.
`make test-demo-all` reproduces every row.

    python tools/check_demo.py --seeds 0   # what `make test-demo` runs (about 3 minutes on a 2-core CPU)
    python tools/check_demo.py             # every row of the committed CSV (about 10 minutes)
    python tools/check_demo.py --reuse     # keep build/demo-runs: compare again without retraining
"""
import argparse, csv, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = 'taf_vs_baseline'
ROW_KEY = ('method', 'seed')
CODE_COLUMNS = ('code', 'key', 'run')   # they change with the code version, not with the numbers


def read_rows(path) -> list:
    "A CSV file's rows as dicts of text."
    with open(path, newline='') as f: return list(csv.DictReader(f))


def compare(committed: list, reproduced: list, row_key=ROW_KEY, ignore=CODE_COLUMNS, seeds=None) -> list:
    "What differs between two CSVs' rows, compared as text with rows matched on `row_key`: [] when they agree. `seeds`: only those rows."
    if seeds is not None: committed = [r for r in committed if int(r['seed']) in seeds]
    cols = lambda rows: [c for c in (rows[0] if rows else {}) if c not in ignore]
    old, new = cols(committed), cols(reproduced)
    problems = ([] if old == new else [f"columns in another order: committed {old}, reproduced {new}"] if set(old) == set(new) else
                [f"columns differ: only committed {[c for c in old if c not in new]}, only reproduced {[c for c in new if c not in old]}"])
    by_key = lambda rows: {tuple(r.get(k) for k in row_key): r for r in rows}
    a, b = by_key(committed), by_key(reproduced)
    for k in sorted(set(a) | set(b), key=str):
        what = ', '.join(f'{n} {v}' for n, v in zip(row_key, k))
        if k not in a or k not in b:
            problems.append(f"{what}: only in the {'committed' if k in a else 'reproduced'} CSV"); continue
        problems += [f"{what}: {c} {a[k].get(c)} committed, {b[k].get(c)} reproduced"
                     for c in old if c in new and a[k][c] != b[k][c]]
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--reuse', action='store_true', help='keep build/demo-runs (default: train every run again)')
    ap.add_argument('--seeds', type=int, nargs='+', help="reproduce these seeds' rows only (default: every row of the committed CSV)")
    a = ap.parse_args()
    out, runs, committed = ROOT/'build'/'demo', ROOT/'build'/'demo-runs', ROOT/'figures'/f'{NAME}.csv'
    if not a.reuse: shutil.rmtree(runs, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)   # the CSV is drawn from every result in its folder: start empty
    old = read_rows(committed)
    if a.seeds and (unknown := sorted(set(a.seeds) - {int(r['seed']) for r in old})):
        sys.exit(f"check_demo: --seeds {unknown}: not in {committed.relative_to(ROOT)} (its seeds: {sorted({int(r['seed']) for r in old})})")
    seeds = ['-p', 'seeds', str(a.seeds)] if a.seeds else []
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'run_experiments.py'), NAME, '--out_dir', str(out), '--runs_dir', str(runs),
                        '--log-output', *seeds], cwd=ROOT)
    if r.returncode: sys.exit(f"check_demo: the {NAME} notebook failed")
    new = read_rows(out/f'{NAME}.csv')
    codes = sorted({r.get('code') or '?' for r in old}), sorted({r.get('code') or '?' for r in new})
    if codes[0] != codes[1]:
        print(f"note: {committed.relative_to(ROOT)} was made by code {codes[0]}, this checkout is code {codes[1]}; comparing the numbers")
    if problems := compare(old, new, seeds=a.seeds):
        print(f"check_demo: {NAME} did not reproduce {committed.relative_to(ROOT)} ({len(problems)} difference(s)):",
              *problems[:20], sep='\n  ')
        sys.exit(1)
    which = f"the {len(new)} rows of seed(s) {a.seeds}" if a.seeds else f"all {len(new)} rows"
    print(f"check_demo: {committed.relative_to(ROOT)} reproduced: {which}, every number equal to the last digit")


if __name__ == '__main__': main()
