"""Scale: indexing Cityscapes' full 150,000-frame sequence tree reads no image and takes seconds.

The tree (2975 train + 500 val + 1525 test snippets x 30 frames, the official cities and counts) is
written with empty files, so any attempt to decode an image would fail. The time is printed as a
benchmark (against a 20 s goal), not asserted: a loaded machine is slower. Run alone with
`pytest -s tests/test_scale.py` to see it.
"""
import time
from clipnb.data.cityscapes import CS_CITIES, cityscapes_index, make_cityscapes_fixture

GOAL_S = 20.


def test_cityscapes_full_tree_indexes_without_opening_an_image(tmp_path):
    t0 = time.perf_counter()
    root = make_cityscapes_fixture(tmp_path/'cityscapes', CS_CITIES, empty=True)
    t_make = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = cityscapes_index(root, splits=('train', 'val', 'test'))
    t_index = time.perf_counter() - t0
    n_frames = sum(len(c) for c in index.clips)
    print(f"\nwrote the tree in {t_make:.1f} s; indexed {len(index)} clips, {n_frames} frames in {t_index:.2f} s "
          f"({t_index / GOAL_S:.2f}x the {GOAL_S:g} s goal)")
    assert n_frames == 150_000
    assert [len(index.split(s)) for s in ('train', 'val', 'test')] == [2975, 500, 1525]
    assert len(cityscapes_index(root, subset='CS-0.2').split('train')) == 595
    assert len(cityscapes_index(root, subset='CS-0.5').split('train')) == 1488
