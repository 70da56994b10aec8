"""What does SSLTM cost, compared with its DeepLabV3+ image baseline?

    python -m bench.ssltm [--backbone deeplabv3plus_mobilenetv2] [--batch 4] [--crop 96 128] [--frames 3]
                          [--video 70 120 160] [--seconds 20] [--device cpu|cuda] [--amp] [--separable]

In one run, alternating short rounds of each so that machine noise hits both alike:
  - training: a step (forward, loss, backward, SGD) of the DeepLabV3+ baseline on `batch` labelled frames,
    of SSLTM w/o MT on `batch` labelled queries (each with its window of `frames` frames and a reference
    frame) and of SSLTM w/ MT (the same, plus an unlabelled query each and the EMA teacher on both);
    printed: seconds per step and the ratios SSLTM / baseline at the same batch;
  - inference: frames/s of the baseline (one frame at a time through the network, batches of 8) and of
    SSLTM over a whole video (`predict_video`: each frame encoded once, then STT + RFCE + GCC + decoder
    per frame with its window and reference), and the ratio SSLTM / baseline.
Random images and labels: the cost does not depend on the content.
"""
import argparse, time, types
import torch
from bench import make_step
from clipnb.models.zoo import build_model
from clipnb.engine.supervised import Supervised
from clipnb.ssltm.model import ssltm_deeplabv3plus, predict_video
from clipnb.ssltm.train import SSLTMTraining, SSLTMMeanTeacher

def ssltm_batch(batch, frames, crop, n_classes, device, queries):
    "A batch as `SSLTMSamples` gives it: `queries` x (window of `frames` + reference) frames per sample, the query's place, its label."
    return dict(frames=torch.randn(batch, queries * (frames + 1), 3, *crop, device=device),
                query=torch.full((batch, queries), frames // 2, device=device),
                label=torch.randint(0, n_classes, (batch, *crop), device=device))

class Frames:
    "A video of random frames in `VideoFrames`' interface (what `predict_video` reads)."
    def __init__(self, x, name='bench'): self.x, self.clip = x, types.SimpleNamespace(name=name)
    def __len__(self): return len(self.x)
    def __getitem__(self, t): return self.x[t]

def timed_rounds(fns: dict, seconds: float, sync) -> dict:
    "Seconds per call of each function of `fns`, from alternating rounds of 2 calls for `seconds` (after one warm-up call each)."
    for f in fns.values(): f()
    spent, calls = {k: 0. for k in fns}, {k: 0 for k in fns}
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end or not all(calls.values()):
        for k, f in fns.items():
            sync(); t0 = time.perf_counter()
            for _ in range(2): f()
            sync(); spent[k] += time.perf_counter() - t0; calls[k] += 2
    return {k: spent[k] / calls[k] for k in fns}

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--backbone', default='deeplabv3plus_mobilenetv2'); p.add_argument('--batch', type=int, default=4)
    p.add_argument('--crop', type=int, nargs=2, default=(96, 128)); p.add_argument('--frames', type=int, default=3)
    p.add_argument('--video', type=int, nargs=3, default=(70, 120, 160), metavar=('FRAMES', 'H', 'W'), help='the video scored for frames/s')
    p.add_argument('--distance', type=int, default=30); p.add_argument('--seconds', type=float, default=20)
    p.add_argument('--device', default='cpu'); p.add_argument('--amp', action='store_true', help='bf16 autocast')
    p.add_argument('--separable', action='store_true', help='DeepLabV3+ with depthwise-separable ASPP and decoder')
    a = p.parse_args(argv)
    device, K = torch.device(a.device), 11
    sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)
    torch.manual_seed(0)
    base = build_model(a.backbone, K, separable=a.separable).to(device).train()
    ssltm = ssltm_deeplabv3plus(K, a.backbone, separable=a.separable, frames=a.frames, reference_distance=a.distance).to(device).train()
    student = ssltm_deeplabv3plus(K, a.backbone, separable=a.separable, frames=a.frames, reference_distance=a.distance).to(device).train()
    plain, mt = SSLTMTraining(), SSLTMMeanTeacher()
    for m, net in ((plain, ssltm), (mt, student)): m.prepare(net)
    mt.ema.to(device)
    crop = tuple(a.crop)
    b1, b2 = ssltm_batch(a.batch, a.frames, crop, K, device, 1), ssltm_batch(a.batch, a.frames, crop, K, device, 2)
    bb = dict(image=b1['frames'][:, a.frames // 2], label=b1['label'])
    steps = dict(baseline=make_step(base, Supervised(), a.amp), ssltm=make_step(ssltm, plain, a.amp), ssltm_mt=make_step(student, mt, a.amp))
    train = timed_rounds(dict(baseline=lambda: steps['baseline'](bb), ssltm=lambda: steps['ssltm'](b1),
                              ssltm_mt=lambda: steps['ssltm_mt'](b2)), a.seconds, sync)
    n, h, w = a.video
    video = torch.randn(n, 3, h, w, device=device)
    base.eval(); ssltm.eval()
    def infer_base():
        with torch.no_grad(), torch.autocast(device.type, dtype=torch.bfloat16, enabled=a.amp):
            for i in range(0, n, 8): base(video[i:i + 8])
    def infer_ssltm():
        with torch.no_grad(), torch.autocast(device.type, dtype=torch.bfloat16, enabled=a.amp):
            f = Frames(video)
            for i in range(0, n, 8): predict_video(ssltm, f, list(range(i, min(i + 8, n))))
    infer = timed_rounds(dict(baseline=infer_base, ssltm=infer_ssltm), a.seconds, sync)
    fps = {k: n / v for k, v in infer.items()}
    print(f"{a.backbone}{' (separable)' if a.separable else ''}, batch {a.batch}, crop {crop[0]}x{crop[1]}, window {a.frames} frames + 1 reference, "
          f"{device}, amp={a.amp}, torch threads {torch.get_num_threads()}, {a.seconds:g} s per measurement")
    print(f"training step: baseline {train['baseline']:.3f} s, SSLTM w/o MT {train['ssltm']:.3f} s, SSLTM w/ MT {train['ssltm_mt']:.3f} s")
    print(f"training step time ratio SSLTM w/o MT / DeepLabV3+: {train['ssltm'] / train['baseline']:.2f}; "
          f"SSLTM w/ MT / DeepLabV3+: {train['ssltm_mt'] / train['baseline']:.2f} (same batch of labelled frames)")
    print(f"inference on a {n}-frame {h}x{w} video: baseline {fps['baseline']:.1f} frames/s, SSLTM {fps['ssltm']:.1f} frames/s; "
          f"frames/s ratio SSLTM / DeepLabV3+: {fps['ssltm'] / fps['baseline']:.2f}")
    return dict(train=train, fps=fps)

if __name__ == '__main__': main()
