"""A small TAF training run for the engine's tests.

    python tests/train_script.py OUT DATA [STEPS]             # one process
    torchrun --nproc_per_node 2 tests/train_script.py OUT DATA # DDP (gloo on CPUs)

Writes the run folder OUT (checkpoint, logs) and the final weights of each process to OUT/rank<r>.pt.
"""
import os, sys
from pathlib import Path
import torch
from clipnb.data.clips import toy_index
from clipnb.models.zoo import build_model
from clipnb.taf.loss import TAF
from clipnb.engine.train import TrainConfig, fit

out, data = Path(sys.argv[1]), Path(sys.argv[2])
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 20
rank = int(os.environ.get('RANK', 0))
index = toy_index(data/f'rank{rank}', n_clips=13, n_frames=9, size=(40, 56), n_classes=3)   # same files on every rank
torch.manual_seed(0)
model = build_model('fcn8s_resnet18', num_classes=3)
cfg = TrainConfig(steps=steps, batch_size=4, crop_size=(32, 48), lr=0.02, ckpt_every=5, log_every=1, eval_every=10,
                  num_workers=2, progress=False)
fit(model, TAF(n_h=3), index, cfg, out_dir=out)
torch.save(model.state_dict(), out/f'rank{rank}.pt')
