"""How fast does the TAF pair loader feed a training step?

    python -m bench.data [--batch 8] [--workers 2] [--crop 96 128] [--seconds 20]

Measures, in one run on the default synthetic benchmark:
  1. the pair loader's rate (pairs/s) with `--workers` DataLoader workers, after warm-up;
  2. what a ResNet-18 segmentation training step at the same batch consumes (pairs/s): both frames of
     each pair go through the network (2 x batch images at the crop size), forward + backward + SGD;
and prints their ratio. Goal: ratio >= 3, so the loader is never the bottleneck.
"""
import argparse, time
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision
from clipnb.data.datasets import clip_index
from clipnb.data.clips import PairDataset, train_transform, clip_loader

def loader_rate(index, batch, workers, crop, seconds):
    "Pairs per second the loader delivers, measured after one warm-up epoch."
    ds = PairDataset(index, n_h=15, transform=train_transform(crop))
    dl = clip_loader(ds, batch_size=batch, num_workers=workers)
    for _ in dl: pass                                    # warm-up: start workers, fill page cache
    n, t0, epoch = 0, time.perf_counter(), 1
    while time.perf_counter() - t0 < seconds:
        ds.set_epoch(epoch); epoch += 1                  # persistent workers see the new epoch at the next iterator
        for b in dl: n += len(b['key'])
    return n / (time.perf_counter() - t0)

class R18Seg(nn.Module):
    "ResNet-18 features, a 1x1 classifier and bilinear upsampling: the cost of FCN-R18 within a few percent."
    def __init__(self, n_classes):
        super().__init__()
        r = torchvision.models.resnet18(weights=None)
        self.body, self.head = nn.Sequential(*list(r.children())[:-2]), nn.Conv2d(512, n_classes, 1)
    def forward(self, x): return F.interpolate(self.head(self.body(x)), size=x.shape[-2:], mode='bilinear', align_corners=False)

def step_rate(batch, crop, n_classes, seconds):
    "Pairs per second a training step consumes: 2 x batch images forward + backward + SGD step."
    model = R18Seg(n_classes); opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(2 * batch, 3, *crop); y = torch.randint(0, n_classes, (2 * batch, *crop))
    def step():
        opt.zero_grad(); F.cross_entropy(model(x), y).backward(); opt.step()
    for _ in range(2): step()                            # warm-up
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds: step(); n += batch
    return n / (time.perf_counter() - t0)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--batch', type=int, default=8); p.add_argument('--workers', type=int, default=2)
    p.add_argument('--crop', type=int, nargs=2, default=(96, 128)); p.add_argument('--seconds', type=float, default=20)
    a = p.parse_args(argv)
    index = clip_index('synth').split('train')
    print(f"data: {index}\nbatch {a.batch} pairs, crop {a.crop[0]}x{a.crop[1]}, {a.workers} workers, torch threads {torch.get_num_threads()}")
    load = loader_rate(index, a.batch, a.workers, tuple(a.crop), a.seconds)
    print(f"pair loader:            {load:8.1f} pairs/s")
    need = step_rate(a.batch, tuple(a.crop), index.num_classes, a.seconds)
    print(f"ResNet-18 train step:   {need:8.1f} pairs/s consumed ({a.batch / need:.3f} s/step)")
    ratio = load / need
    print(f"ratio loader / step:    {ratio:8.2f}  (goal >= 3: {'met' if ratio >= 3 else 'NOT met'})")
    return ratio

if __name__ == '__main__': main()
