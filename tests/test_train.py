"Training-engine reliability: a SIGKILLed run resumes to the same result; DDP trains as one process on the same global batch."
import json, signal, subprocess, sys, time
from pathlib import Path
import torch

SCRIPT = str(Path(__file__).parent/'train_script.py')

def _weights(path): return torch.load(path, weights_only=True)

def _assert_same(a: dict, b: dict):
    assert a.keys() == b.keys()
    for k in a: assert torch.equal(a[k], b[k]), k

def test_sigkill_then_resume_matches_an_uninterrupted_run(tmp_path):
    whole, killed, data = tmp_path/'whole', tmp_path/'killed', tmp_path/'data'
    subprocess.run([sys.executable, SCRIPT, whole, data, '--steps', '40'], check=True, timeout=600)
    p = subprocess.Popen([sys.executable, SCRIPT, killed, data, '--steps', '40'])
    deadline = time.time() + 300
    while not (killed/'checkpoint.pt').exists():                    # first checkpoint: step 5 of 80 (TAF: 2x40)
        assert p.poll() is None and time.time() < deadline, 'the run ended before its first checkpoint'
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL); p.wait()
    assert p.returncode == -signal.SIGKILL
    step = torch.load(killed/'checkpoint.pt', weights_only=True)['step']   # a checkpoint loads without unpickling code
    assert 5 <= step < 80, step                                      # killed part-way
    assert not (killed/'rank0.pt').exists()
    subprocess.run([sys.executable, SCRIPT, killed, data, '--steps', '40'], check=True, timeout=600)
    _assert_same(_weights(whole/'rank0.pt'), _weights(killed/'rank0.pt'))
    assert (whole/'eval_log.csv').read_text() == (killed/'eval_log.csv').read_text()
    strip = lambda p: [l.rsplit(',', 1)[0] for l in p.read_text().splitlines()]   # last column: images/s
    assert strip(whole/'train_log.csv') == strip(killed/'train_log.csv')

def test_ddp_on_two_processes_trains_as_one_process_on_the_same_global_batch(tmp_path):
    "2 gloo processes x 2 images per step against 1 process x 4: the same parameters after training (up to float summation order)."
    data = tmp_path/'data'
    args = ['--method', 'baseline', '--model', 'plain', '--steps', '6']
    subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', SCRIPT, tmp_path/'ddp', data,
                    '--batch', '2', *args], check=True, timeout=600)
    subprocess.run([sys.executable, SCRIPT, tmp_path/'one', data, '--batch', '4', *args], check=True, timeout=600)
    a, b, one = _weights(tmp_path/'ddp'/'rank0.pt'), _weights(tmp_path/'ddp'/'rank1.pt'), _weights(tmp_path/'one'/'rank0.pt')
    _assert_same(a, b)                                               # both processes end with the same model
    torch.manual_seed(0)
    init = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.Conv2d(8, 3, 1)).state_dict()
    assert all(not torch.equal(init[k], a[k]) for k in a), 'training changed nothing'
    for k in a:
        assert torch.allclose(a[k], one[k], rtol=1e-4, atol=1e-6), (k, (a[k] - one[k]).abs().max())
    run = json.loads((tmp_path/'ddp'/'run.json').read_text())
    assert run['world_size'] == 2 and run['status'] == 'done'

def test_resuming_with_another_number_of_processes_is_refused(tmp_path):
    data, out = tmp_path/'data', tmp_path/'run'
    args = ['--method', 'baseline', '--model', 'plain', '--steps', '12', '--batch', '2']
    subprocess.run([sys.executable, SCRIPT, out, data, *args], check=True, timeout=600)
    r = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', SCRIPT, out, data,
                        *args], capture_output=True, text=True, timeout=600)
    assert r.returncode != 0 and 'world_size: 1 then, 2 now' in r.stderr, r.stderr[-2000:]
