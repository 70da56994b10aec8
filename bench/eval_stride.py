"""How much does scoring 1 val frame in `stride` change a trained run's mIoU, and how much time does it save?

    python -m bench.eval_stride [--stride 4] [--runs 8] [--model fcn8s_resnet18]

Takes the finished quick-preset runs of `--model` in the run cache (`make figures` or `make demo` leave them there),
scores each on the synthetic benchmark's val split on every frame and on 1 frame in `stride`, in one run on the
same machine, and prints both mIoUs, their difference and the time ratio. The quick preset's `eval_stride=4`
rests on this measurement (nbs/35_taf.paper).
"""
import argparse, time
from pathlib import Path
from clipnb.core import cache_dir
from clipnb.engine.metrics import SegmentationEvaluator
from clipnb.engine.train import load_model_weights
from clipnb.experiments import preset_index, with_preset
from clipnb.models.zoo import build_model
from clipnb.taf.paper import PRESETS

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--stride', type=int, default=4); ap.add_argument('--runs', type=int, default=8)
    ap.add_argument('--model', default='fcn8s_resnet18')
    a = ap.parse_args()
    index = preset_index({**with_preset(dict(preset='quick'), PRESETS), 'dataset': 'synth'})
    runs = sorted(p.parent for p in (cache_dir()/'runs').glob(f'{a.model}-*/seed*/run.json') if (p.parent/'checkpoint.pt').is_file())[:a.runs]
    if not runs: raise SystemExit(f"bench.eval_stride: no finished {a.model} run in {cache_dir()/'runs'}: run `make demo` first")
    evs = {s: SegmentationEvaluator(index, 'val', stride=s) for s in (1, a.stride)}
    diffs, times = [], {s: 0. for s in evs}
    print(f"{'run':<52} {'all frames':>10} {f'1 in {a.stride}':>8} {'diff':>6}")
    for run in runs:
        net = build_model(a.model, index.num_classes); load_model_weights(net, run); net.eval()
        m = {}
        for s, ev in evs.items():
            t = time.perf_counter(); m[s] = 100 * ev(net)['miou']; times[s] += time.perf_counter() - t
        diffs.append(m[a.stride] - m[1])
        print(f"{'/'.join(Path(run).parts[-2:]):<52} {m[1]:>10.2f} {m[a.stride]:>8.2f} {diffs[-1]:>+6.2f}")
    print(f"{len(runs)} runs: difference {min(diffs):+.2f} to {max(diffs):+.2f} mIoU points (mean |difference| "
          f"{sum(map(abs, diffs)) / len(diffs):.2f}); time 1 in {a.stride} / all frames = {times[a.stride] / times[1]:.2f}")

if __name__ == '__main__': main()
