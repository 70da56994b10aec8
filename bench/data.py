"""How fast does the TAF pair loader feed a training step?

    python -m bench.data [--batch 8] [--workers 2] [--crop 96 128] [--seconds 20]

Measures, in one run on the default synthetic benchmark:
  1. the pair loader's rate (pairs/s) with `--workers` DataLoader workers, after warm-up;
  2. what a ResNet-18 segmentation training step at the same batch consumes (pairs/s): both frames of
     each pair go through the network (2 x batch images at the crop size), forward + backward + SGD;
and prints their ratio. Goal: ratio >= 3, so the loader is never the bottleneck.
  3. as a check of that claim, the same step fed by the loader (workers and step share the cores):
     its rate as a fraction of the step's own rate on ready-made tensors.
"""
import argparse, time
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision
from clipnb.data.datasets import clip_index
from clipnb.data.clips import PairDataset, train_transform, clip_loader

def pair_batches(index, batch, workers, crop, seconds):
    "Batches of TAF pairs for `seconds` (after a warm-up batch), epoch after epoch; yields (batch, start time)."
    ds = PairDataset(index, n_h=15, transform=train_transform(crop))
    dl = clip_loader(ds, batch_size=batch, num_workers=workers)
    yield next(iter(dl)), None                           # warm-up: start workers, fill the page cache
    t0, epoch = time.perf_counter(), 1
    while time.perf_counter() - t0 < seconds:
        ds.set_epoch(epoch); epoch += 1                  # persistent workers see the new epoch at the next iterator
        for b in dl:
            yield b, t0
            if time.perf_counter() - t0 > seconds: return

def rate(batches, consume=lambda b: None):
    "Pairs per second through `consume`, timed from the first measured batch."
    n, t0 = 0, None
    for b, t0 in batches:
        consume(b)
        if t0 is not None: n += len(b['key'])
    return n / (time.perf_counter() - t0)

def loader_rate(index, batch, workers, crop, seconds):
    "Pairs per second the loader delivers."
    return rate(pair_batches(index, batch, workers, crop, seconds))

class R18Seg(nn.Module):
    "ResNet-18 features, a 1x1 classifier and bilinear upsampling: the cost of FCN-R18 within a few percent."
    def __init__(self, n_classes):
        super().__init__()
        r = torchvision.models.resnet18(weights=None)
        self.body, self.head = nn.Sequential(*list(r.children())[:-2]), nn.Conv2d(512, n_classes, 1)
    def forward(self, x): return F.interpolate(self.head(self.body(x)), size=x.shape[-2:], mode='bilinear', align_corners=False)

def make_step(n_classes):
    "A ResNet-18 segmentation training step on a batch of pairs: both frames forward, backward, SGD."
    model = R18Seg(n_classes); opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    def step(key, partner, label):
        x = torch.cat([key, partner]); y = torch.cat([label, label])
        opt.zero_grad(); F.cross_entropy(model(x), y, ignore_index=255).backward(); opt.step()
    return step

def step_rate(batch, crop, n_classes, seconds):
    "Pairs per second a training step consumes on ready-made tensors."
    step = make_step(n_classes)
    x = torch.randn(batch, 3, *crop); y = torch.randint(0, n_classes, (batch, *crop))
    for _ in range(2): step(x, x, y)                     # warm-up
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds: step(x, x, y); n += batch
    return n / (time.perf_counter() - t0)

def fed_rate(index, batch, workers, crop, seconds):
    "Pairs per second the same step trains at when the loader feeds it."
    step = make_step(index.num_classes)
    return rate(pair_batches(index, batch, workers, crop, seconds), lambda b: step(b['key'], b['partner'], b['label']))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--batch', type=int, default=8); p.add_argument('--workers', type=int, default=2)
    p.add_argument('--crop', type=int, nargs=2, default=(96, 128)); p.add_argument('--seconds', type=float, default=20)
    p.add_argument('--no-fed', dest='fed', action='store_false', help='skip measurement 3')
    a = p.parse_args(argv)
    index = clip_index('synth').split('train')
    print(f"data: {index}\nbatch {a.batch} pairs, crop {a.crop[0]}x{a.crop[1]}, {a.workers} workers, torch threads {torch.get_num_threads()}")
    load = loader_rate(index, a.batch, a.workers, tuple(a.crop), a.seconds)
    print(f"pair loader:            {load:8.1f} pairs/s")
    need = step_rate(a.batch, tuple(a.crop), index.num_classes, a.seconds)
    print(f"ResNet-18 train step:   {need:8.1f} pairs/s consumed ({a.batch / need:.3f} s/step)")
    ratio = load / need
    print(f"ratio loader / step:    {ratio:8.2f}  (goal >= 3: {'met' if ratio >= 3 else 'NOT met'})")
    if a.fed:
        fed = fed_rate(index, a.batch, a.workers, tuple(a.crop), a.seconds)
        print(f"step fed by the loader: {fed:8.1f} pairs/s = {fed / need:.2f} of the step on ready-made tensors")
    return ratio

if __name__ == '__main__': main()
