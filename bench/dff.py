"""How much faster is semi-DFF than the per-frame R-FCN, and what does it cost in mAP?

    python -m bench.dff [--preset quick|smoke] [--seed 0] [--interval 10] [--rounds 3] [--device cpu|cuda] [--runs_dir DIR]

Loads (or trains, cached as the experiments do) the preset's stage-1 R-FCN and its two-step semi-DFF model for
`seed` (`clipnb.dff.paper.table1_runs`), then, in one run and on the same val frames (every frame of the preset's
`eval_clips` val clips, in memory before timing), evaluates both with `clipnb.dff.video.evaluate_video`: the
frame detector on every frame, semi-DFF with key frames every `interval` frames and FlowNetS + scale field +
task network on the others. Both are timed in alternating rounds (warm-up first, CUDA synchronised) so that
machine noise hits both alike; fps = the median over rounds. Prints the device, both mAPs and fps, and the ratio
fps(semi-DFF) / fps(frame). Goal (issue 14): >= 5x with a drop of at most 1 mAP point on the quick preset.
"""
import argparse, statistics
import torch
from clipnb.experiments import preset_index
from clipnb.dff.data import detection_classes
from clipnb.dff.paper import PRESETS, table1_runs, table1_videos
from clipnb.dff.video import evaluate_video

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--preset', default='quick', choices=sorted(PRESETS))
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--interval', type=int, default=10)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--runs_dir', default=None, help='trained-run cache (default: cache_dir()/runs, shared with the experiments)')
    a = ap.parse_args()
    P = dict(PRESETS[a.preset], preset=a.preset, runs_dir=a.runs_dir, backbone_weights=None)
    index = preset_index(P)
    names, to_det = detection_classes(index)
    runs = table1_runs(P, a.seed, index)
    videos = table1_videos(P, index, to_det)
    device = torch.device(a.device)
    frame, dff = runs['frame'][0].to(device), runs['semi-DFF'][0].to(device)
    res = dict(frame=[], dff=[])
    for _ in range(a.rounds):
        res['frame'].append(evaluate_video(frame, videos, len(names), names, a.interval, 'frame'))
        res['dff'].append(evaluate_video(dff, videos, len(names), names, a.interval, 'dff'))
    fps = {k: statistics.median(r['fps'] for r in v) for k, v in res.items()}
    maps = {k: 100 * v[0]['map'] for k, v in res.items()}
    r0 = res['frame'][0]
    print(f"device: {r0['device']} ({r0['threads']} threads); {r0['frames']} val frames of {tuple(videos[0][0].shape[-2:])} ({P['eval_clips']} clips), preset {a.preset}, seed {a.seed}, "
          f"{P['model']}, FlowNetS width {P['flow_width']}")
    rounds = {k: ', '.join(f"{r['fps']:.1f}" for r in v) for k, v in res.items()}
    print(f"frame:    mAP {maps['frame']:.2f}%  {fps['frame']:.1f} fps (rounds: {rounds['frame']})")
    print(f"semi-DFF: mAP {maps['dff']:.2f}%  {fps['dff']:.1f} fps at interval {a.interval} (rounds: {rounds['dff']})")
    print(f"speed-up fps(semi-DFF) / fps(frame) = {fps['dff'] / fps['frame']:.2f}x, mAP change {maps['dff'] - maps['frame']:+.2f} points "
          f"(goal: >= 5x, >= -1 point; paper: 4x, -0.6)")

if __name__ == '__main__': main()
