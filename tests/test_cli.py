"End-to-end: the commands a user runs from the shell."
import subprocess, sys
from pathlib import Path

BIN = Path(sys.executable).parent

def test_synth_figure_command(tmp_path):
    "`make demo`'s job: generate (or reuse) the default benchmark and draw three clips."
    out = tmp_path/'figs'/'synth_clips.png'
    r = subprocess.run([BIN/'clipnb_synth_figure', '--out', str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert f'wrote {out}' in r.stdout and "ClipIndex('synth', 11 classes" in r.stdout
    assert out.stat().st_size > 20_000 and out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    assert not list(out.parent.glob('.*.tmp')), 'no temporary file left behind'

def test_train_command_trains_then_resumes(tmp_path):
    "clipnb_train: a short baseline run on the synthetic benchmark; run again, it finds its finished checkpoint; another run's folder is refused."
    import json
    cmd = [BIN/'clipnb_train', str(tmp_path/'run'), '--method', 'baseline', '--steps', '2', '--batch_size', '4',
           '--crop_h', '64', '--crop_w', '96', '--num_workers', '0', '--key_frames_only']
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert 'fcn8s_resnet18 Supervised() on synth: val mIoU' in r.stdout
    run = json.loads((tmp_path/'run'/'run.json').read_text())
    assert run['status'] == 'done' and run['plan']['steps'] == 2 and 0 <= run['final']['miou'] <= 1 and run['method'] == 'baseline'
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0 and 'already trained for 2 steps' in r.stdout, r.stdout + r.stderr
    # the same folder with another method, or another learning rate: refused, naming each difference, in one line
    r = subprocess.run([*cmd[:3], 'taf', *cmd[4:]], capture_output=True, text=True, timeout=600)
    assert r.returncode == 2 and "method: 'baseline' then, 'taf' now" in r.stderr and 'Traceback' not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith('clipnb_train: error: ')
    r = subprocess.run([*cmd, '--lr', '0.5'], capture_output=True, text=True, timeout=600)
    assert r.returncode == 2 and 'config.lr: 0.01 then, 0.5 now' in r.stderr, r.stderr

def test_train_command_reports_a_bad_argument_in_one_line(tmp_path):
    for args, says in ((['--method', 'dino'], "method='dino': expected one of baseline, taf"),
                       (['--c1', '-1'], 'c1=-1.0: expected a change rate >= 0'),
                       (['--dataset', 'camvid', '--data_root', str(tmp_path/'nowhere')], str(tmp_path/'nowhere')),
                       (['--steps', '0'], 'steps=0: expected an integer >= 1')):
        r = subprocess.run([BIN/'clipnb_train', str(tmp_path/'bad'), *args], capture_output=True, text=True, timeout=600)
        assert r.returncode == 2, (args, r.stderr)
        assert says in r.stderr and 'Traceback' not in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
    assert not (tmp_path/'bad').exists()
