"SSLTM's reductions over processes (2 gloo processes on CPUs): the video evaluator and the GCC memory give what one process gives."
import math
from dataclasses import replace
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from clipnb.data.clips import toy_index
from clipnb.ssltm.gcc import GlobalCategoryContext
from clipnb.ssltm.metrics import VideoSegmentationEvaluator


def _index(root):
    index = toy_index(root, n_clips=5, n_frames=6, size=(12, 16), n_classes=3)
    return replace(index, clips=[replace(c, split='val') for c in index.clips])   # 5 videos: ranks take 3 and 2


def _memory():
    torch.manual_seed(1)
    mem = GlobalCategoryContext(3, 4, k=2, update='mse', lr=0.1)
    mem.update(torch.randn(2, 4, 6, 6), torch.randint(0, 3, (2, 6, 6)))      # filled, so assignment is by similarity
    assert mem.filled.all()
    return mem


def _batch():
    g = torch.Generator().manual_seed(2)
    return torch.randn(4, 4, 6, 6, generator=g), torch.randint(0, 3, (4, 6, 6), generator=g)


def _model():
    torch.manual_seed(0)
    return nn.Conv2d(3, 3, 1)


def _worker(rank, world, tmp, out):
    dist.init_process_group('gloo', init_method=f'file://{tmp}/init', rank=rank, world_size=world)
    try:
        metrics = VideoSegmentationEvaluator(_index(tmp/f'data{rank}'), windows=(2, 4))(_model())
        mem = _memory(); feats, labels = _batch(); share = slice(2 * rank, 2 * rank + 2)
        mem.update(feats[share], labels[share])
        fresh = GlobalCategoryContext(3, 4, k=2)                              # initialisation from each process's share
        fresh.update(feats[share], labels[share])
        torch.save(dict(metrics=metrics, memory=mem.state_dict(), fresh=fresh.state_dict()), out/f'rank{rank}.pt')
    finally:
        dist.destroy_process_group()


def test_two_processes_score_and_update_as_one(tmp_path):
    mp.spawn(_worker, args=(2, tmp_path, tmp_path), nprocs=2, join=True)
    r0, r1 = (torch.load(tmp_path/f'rank{r}.pt') for r in (0, 1))
    one = VideoSegmentationEvaluator(_index(tmp_path/'single'), windows=(2, 4))(_model())
    for k, v in one.items():
        assert math.isclose(r0['metrics'][k], v, rel_tol=1e-9, abs_tol=1e-12), (k, r0['metrics'][k], v)
        assert r1['metrics'][k] == r0['metrics'][k], k
    assert r0['metrics']['mvc2_windows'] == 5 * (6 - 2)
    mem = _memory(); feats, labels = _batch(); mem.update(feats, labels)
    torch.testing.assert_close(r0['memory']['prototypes'], mem.prototypes)
    for name in ('prototypes', 'updates', 'filled'):
        assert torch.equal(r0['memory'][name], r1['memory'][name]), name
        assert torch.equal(r0['fresh'][name], r1['fresh'][name]), name       # every process keeps the same memory
