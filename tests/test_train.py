"Training-engine reliability: a SIGKILLed run resumes to the same result; DDP ranks end identical."
import signal, subprocess, sys, time
from pathlib import Path
import torch

SCRIPT = str(Path(__file__).parent/'train_script.py')

def _weights(path): return torch.load(path, weights_only=True)

def _assert_same(a: dict, b: dict):
    assert a.keys() == b.keys()
    for k in a: assert torch.equal(a[k], b[k]), k

def test_sigkill_then_resume_matches_an_uninterrupted_run(tmp_path):
    whole, killed, data = tmp_path/'whole', tmp_path/'killed', tmp_path/'data'
    subprocess.run([sys.executable, SCRIPT, whole, data, '40'], check=True, timeout=600)
    p = subprocess.Popen([sys.executable, SCRIPT, killed, data, '40'])
    deadline = time.time() + 300
    while not (killed/'checkpoint.pt').exists():                    # first checkpoint: step 5 of 40 (TAF: 2x20)
        assert p.poll() is None and time.time() < deadline, 'the run ended before its first checkpoint'
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL); p.wait()
    assert p.returncode == -signal.SIGKILL
    step = torch.load(killed/'checkpoint.pt', weights_only=False)['step']
    assert 5 <= step < 80, step                                      # killed part-way
    assert not (killed/'rank0.pt').exists()
    subprocess.run([sys.executable, SCRIPT, killed, data, '40'], check=True, timeout=600)
    _assert_same(_weights(whole/'rank0.pt'), _weights(killed/'rank0.pt'))
    assert (whole/'eval_log.csv').read_text() == (killed/'eval_log.csv').read_text()
    strip = lambda p: [l.rsplit(',', 1)[0] for l in p.read_text().splitlines()]   # last column: images/s
    assert strip(whole/'train_log.csv') == strip(killed/'train_log.csv')

def test_ddp_gloo_two_processes_end_with_identical_weights(tmp_path):
    out, data = tmp_path/'ddp', tmp_path/'data'
    subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', SCRIPT, out, data, '6'],
                   check=True, timeout=600)
    a, b = _weights(out/'rank0.pt'), _weights(out/'rank1.pt')
    _assert_same(a, b)
    torch.manual_seed(0)
    from clipnb.models.zoo import build_model
    init = build_model('fcn8s_resnet18', num_classes=3).state_dict()
    assert any(not torch.equal(init[k], a[k]) for k in a if a[k].is_floating_point()), 'training changed nothing'
    import json
    run = json.loads((out/'run.json').read_text())
    assert run['world_size'] == 2 and run['status'] == 'done'
