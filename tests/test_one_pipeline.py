"""Every data set becomes the same clip index, so one pair sampler and one evaluator serve them all.

For each loader, on its fixture tree in the official layout: the index goes through `clip_index`,
TAF's pair loader and the key-frame loader with 2 worker processes (so the index, its label reader
included, must pickle), and comes out as batches of the same form.
"""
import pytest, torch
from clipnb.data.datasets import clip_index
from clipnb.data.clips import PairDataset, KeyFrameDataset, train_transform, eval_transform, clip_loader
from clipnb.data.camvid import make_camvid_fixture
from clipnb.data.cityscapes import make_cityscapes_fixture
from clipnb.data.vspw import make_vspw_fixture
from clipnb.data.imagenet_vid import make_imagenet_vid_fixture

def _camvid(root):
    make_camvid_fixture(root, frames_root=root/'frames', half_length=3)
    return clip_index('camvid', root, half_length=3)

def _camvid_original(root):
    make_camvid_fixture(root, layout='original', frames_root=root/'frames', half_length=3)
    return clip_index('camvid', root, half_length=3)

LOADERS = {
    'synth': lambda root: clip_index('synth', root, n_train=3, n_val=1, n_test=1, clip_len=9, height=48, width=64),
    'camvid': _camvid,
    'camvid-original': _camvid_original,
    'cityscapes': lambda root: clip_index('cityscapes', make_cityscapes_fixture(root)),
    'vspw': lambda root: clip_index('vspw', make_vspw_fixture(root)),
}

@pytest.mark.parametrize('name', LOADERS)
def test_pairs_and_key_frames_from_every_dataset(name, tmp_path):
    index = LOADERS[name](tmp_path/name)
    train = index.split('train')
    pairs = clip_loader(PairDataset(train, n_h=2, transform=train_transform((16, 16))), batch_size=2, num_workers=2)
    b = next(iter(pairs))
    assert b['key'].shape == b['partner'].shape == (2, 3, 16, 16) and b['label'].shape == (2, 16, 16)
    assert b['key'].dtype == torch.float32 and b['label'].dtype == torch.int64
    assert ((b['label'] < index.num_classes) | (b['label'] == 255)).all(), 'labels are class indices or ignore'
    assert (b['offset'].abs() <= 2).all()
    keys = clip_loader(KeyFrameDataset(train, eval_transform((16, 16))), batch_size=2, shuffle=False, num_workers=2)
    k = next(iter(keys))
    assert k['image'].shape == (2, 3, 16, 16) and k['label'].shape == (2, 16, 16)

def test_detection_clips_carry_boxes(tmp_path):
    "ImageNet VID (boxes, no label maps) and the synthetic benchmark both give per-frame boxes."
    for index in (clip_index('imagenet_vid', make_imagenet_vid_fixture(tmp_path/'vid')), LOADERS['synth'](tmp_path/'s')):
        boxed = [b for c in index.clips for b in c.boxes.values()]
        assert boxed and all(b.ndim == 2 and b.shape[1] == 6 for b in boxed), index.name
        x0, y0, x1, y1 = boxed[0][:, :4].T
        assert (x1 > x0).all() and (y1 > y0).all()
