"""Small training runs for the engine's tests.

    python tests/train_script.py OUT DATA [--steps N] [--batch B] [--method taf|baseline] [--model fcn8s|plain]
    torchrun --nproc_per_node 2 tests/train_script.py OUT DATA ...   # DDP (gloo on CPUs)

Writes the run folder OUT (checkpoint, logs) and the final weights of each process to OUT/rank<r>.pt.
`--model plain` is a two-layer convolutional net without BatchNorm or dropout: its gradient over a
global batch is the same whether one process or several (each with its share) compute it, so a DDP
run can be compared parameter by parameter with a single-process run.
"""
import argparse, os
from pathlib import Path
import torch
from torch import nn
from clipnb.data.clips import toy_index
from clipnb.engine.supervised import Supervised
from clipnb.engine.train import TrainConfig, fit
from clipnb.models.zoo import build_model
from clipnb.taf.loss import TAF

p = argparse.ArgumentParser()
p.add_argument('out', type=Path); p.add_argument('data', type=Path)
p.add_argument('--steps', type=int, default=20); p.add_argument('--batch', type=int, default=4)
p.add_argument('--method', default='taf', choices=['taf', 'baseline']); p.add_argument('--model', default='fcn8s', choices=['fcn8s', 'plain'])
a = p.parse_args()
rank = int(os.environ.get('RANK', 0))
index = toy_index(a.data/f'rank{rank}', n_clips=13, n_frames=9, size=(40, 56), n_classes=3)   # same files on every rank
torch.manual_seed(0)
model = (build_model('fcn8s_resnet18', num_classes=3) if a.model == 'fcn8s' else
         nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 3, 1)))
cfg = TrainConfig(steps=a.steps, batch_size=a.batch, crop_size=(32, 48), lr=0.02, ckpt_every=5, log_every=1, eval_every=10,
                  num_workers=2, progress=False, **(dict(scale_range=(1.0, 1.0)) if a.model == 'plain' else {}))
fit(model, TAF(n_h=3) if a.method == 'taf' else Supervised(), index, cfg, out_dir=a.out)
torch.save(model.state_dict(), a.out/f'rank{rank}.pt')
