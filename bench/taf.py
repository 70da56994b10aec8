"""What does TAF cost per training image, compared with the baseline?

    python -m bench.taf [--models fcn8s_resnet18 deeplabv3plus_mobilenetv2] [--batch 8] [--crop 96 128]
                        [--seconds 20] [--device cpu|cuda] [--amp] [--separable]

For each model, in one run and on the same ready-made batch of images, alternating short rounds of
each so that machine noise hits both alike:
  - baseline: a training step (forward, cross-entropy, backward, SGD) on `batch` key frames;
  - TAF: a training step on `batch/2` (key, partner) pairs, the same images per step (the paper's
    budget): the backbone runs once on all images, Ω runs twice (original and swapped branches);
and prints images/s of both and the ratio of TAF's time per image to the baseline's.
Goal: ratio <= 1.15 (the swap re-runs only Ω).
"""
import argparse, time
import torch
from bench import make_step
from clipnb.models.zoo import build_model
from clipnb.taf.loss import TAF
from clipnb.engine.supervised import Supervised

def batches(n_images, crop, n_classes, device, channels_last):
    "A baseline batch of `n_images` key frames and a TAF batch of `n_images/2` pairs of the same images."
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    x = torch.randn(n_images, 3, *crop, device=device).contiguous(memory_format=fmt)
    y = torch.randint(0, n_classes, (n_images, *crop), device=device)
    h = n_images // 2
    return (dict(image=x, label=y),
            dict(key=x[:h], partner=x[h:], label=y[:h], offset=torch.arange(1, h + 1, device=device)))

def measure(name, batch, crop, seconds, device, amp, n_classes=11, **model_kw):
    "Images/s of the baseline and TAF steps of model `name`, measured in alternating rounds."
    torch.manual_seed(0)
    model = build_model(name, num_classes=n_classes, **model_kw).to(device)
    channels_last = device.type == 'cuda'
    if channels_last: model = model.to(memory_format=torch.channels_last)
    model.train()
    base_batch, taf_batch = batches(batch, crop, n_classes, device, channels_last)
    steps = dict(baseline=(make_step(model, Supervised(), amp), base_batch), taf=(make_step(model, TAF(), amp), taf_batch))
    sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)
    for f, b in steps.values(): f(b); f(b)                        # warm-up (and cudnn autotune)
    spent, images = dict(baseline=0., taf=0.), dict(baseline=0, taf=0)
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end:
        for k, (f, b) in steps.items():
            sync(); t0 = time.perf_counter()
            for _ in range(3): f(b)
            sync(); spent[k] += time.perf_counter() - t0; images[k] += 3 * batch
    rate = {k: images[k] / spent[k] for k in spent}
    return dict(model=name, baseline=rate['baseline'], taf=rate['taf'], ratio=rate['baseline'] / rate['taf'])

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--models', nargs='+', default=['fcn8s_resnet18', 'deeplabv3plus_mobilenetv2'])
    p.add_argument('--batch', type=int, default=8, help='images per step (TAF: batch/2 pairs)')
    p.add_argument('--crop', type=int, nargs=2, default=(96, 128)); p.add_argument('--seconds', type=float, default=20)
    p.add_argument('--device', default='cpu'); p.add_argument('--amp', action='store_true', help='bf16 autocast')
    p.add_argument('--separable', action='store_true', help='DeepLabV3+ with depthwise-separable ASPP and decoder')
    a = p.parse_args(argv)
    if a.batch < 2 or a.batch % 2: p.error(f'--batch {a.batch}: expected an even number >= 2 (TAF takes batch/2 pairs)')
    device = torch.device(a.device)
    print(f"batch {a.batch} images ({a.batch // 2} TAF pairs), crop {a.crop[0]}x{a.crop[1]}, {device}, amp={a.amp}, "
          f"torch threads {torch.get_num_threads()}, {a.seconds:g} s per model")
    print(f"{'model':34s} {'baseline img/s':>15s} {'TAF img/s':>10s} {'TAF/baseline time per image':>28s}")
    results = []
    for name in a.models:
        kw = dict(separable=True) if a.separable and name.startswith('deeplab') else {}
        r = measure(name, a.batch, tuple(a.crop), a.seconds, device, a.amp, **kw)
        label = name + (' (separable)' if kw else '')
        print(f"{label:34s} {r['baseline']:15.1f} {r['taf']:10.1f} {r['ratio']:28.3f}  goal <= 1.15: {'met' if r['ratio'] <= 1.15 else 'NOT met'}")
        results.append(r)
    return results

if __name__ == '__main__': main()
