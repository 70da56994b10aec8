"The reproduction check's comparison (tools/check_demo.py): exact, as text, rows matched on method and seed."
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]/'tools'))
from check_demo import compare

ROWS = [dict(method='baseline', seed='0', miou='0.3726417198729075', code='a', run='x/seed0'),
        dict(method='taf', seed='0', miou='0.35', code='a', run='y/seed0')]


def test_equal_numbers_in_any_row_order_agree_whatever_the_code():
    other_code = [dict(r, code='b', run='z/seed0') for r in reversed(ROWS)]
    assert compare(ROWS, other_code) == []


def test_the_last_digit_counts():
    off = [dict(ROWS[0], miou='0.3726417198729076'), ROWS[1]]
    assert compare(ROWS, off) == ['method baseline, seed 0: miou 0.3726417198729075 committed, 0.3726417198729076 reproduced']


def test_missing_rows_and_columns_are_named():
    assert compare(ROWS, ROWS[:1]) == ['method taf, seed 0: only in the committed CSV']
    fewer = [{k: v for k, v in r.items() if k != 'miou'} for r in ROWS]
    more = [dict(r, host='vm') for r in ROWS]
    assert compare(ROWS, fewer) == ["columns differ: only committed ['miou'], only reproduced []"]
    assert compare(more, ROWS) == ["columns differ: only committed ['host'], only reproduced []"]   # named once, not per row


def test_a_seed_subset_compares_only_those_rows():
    seed1 = [dict(r, seed='1', miou='0.1') for r in ROWS]
    assert compare(ROWS + seed1, ROWS, seeds=[0]) == []
    assert compare(ROWS + seed1, ROWS[:1], seeds=[0]) == ['method taf, seed 0: only in the committed CSV']
    assert compare(ROWS + seed1, ROWS) == ['method baseline, seed 1: only in the committed CSV', 'method taf, seed 1: only in the committed CSV']
