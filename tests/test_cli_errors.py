"A user's mistake on the command line: one line `prog: error: ...` naming what was wrong, exit status 2, no traceback."
import subprocess, sys
from pathlib import Path

BIN = Path(sys.executable).parent

def _run(cmd, *args):
    return subprocess.run([BIN/cmd, *map(str, args)], capture_output=True, text=True, timeout=600)

def _one_line_error(r, prog, *names):
    "Exit status 2 and a single stderr line `prog: error: ...` that contains every one of `names`."
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert 'Traceback' not in r.stderr, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f'{prog}: error: '), r.stderr
    for n in names: assert str(n) in lines[0], (n, r.stderr)

def test_synth_figure_refuses_a_folder_that_is_not_a_benchmark(tmp_path):
    root = tmp_path/'not_a_benchmark'; root.mkdir(); (root/'notes.txt').write_text('mine')
    out = tmp_path/'fig.png'
    r = _run('clipnb_synth_figure', '--root', root, '--out', out)
    _one_line_error(r, 'clipnb_synth_figure', root, 'is not a synthetic benchmark')
    assert not out.exists() and (root/'notes.txt').read_text() == 'mine'
    _one_line_error(_run('clipnb_synth_figure', '--n_frames', 0, '--out', out), 'clipnb_synth_figure', 'n_frames=0')

def test_camvid_extract_names_a_bad_size_and_a_missing_video(tmp_path):
    video = tmp_path/'videos'/'0006R0.MXF'
    r = _run('clipnb_camvid_extract', video, tmp_path/'frames', '--size', '480by360')
    _one_line_error(r, 'clipnb_camvid_extract', "size='480by360'", 'WxH')
    r = _run('clipnb_camvid_extract', video, tmp_path/'frames')
    _one_line_error(r, 'clipnb_camvid_extract', video, 'file not found')

def test_camvid_calibrate_names_a_missing_stills_folder(tmp_path):
    stills = tmp_path/'701_StillsRaw_full'
    r = _run('clipnb_camvid_calibrate', tmp_path/'0006R0.MXF', stills)
    _one_line_error(r, 'clipnb_camvid_calibrate', stills)

def console_scripts() -> list:
    "The commands settings.ini installs (its console_scripts)."
    from configparser import ConfigParser
    cfg = ConfigParser(delimiters=['=']); cfg.read(Path(__file__).resolve().parents[1]/'settings.ini', encoding='utf-8')
    return [s.split('=')[0] for s in cfg['DEFAULT']['console_scripts'].split()]


def test_help_explains_every_option():
    "Each command's --help works (usage on stdout, nothing on stderr) and gives every argument a description (the terminal user's only documentation)."
    import re
    assert 'clipnb_train' in console_scripts()
    for cmd in console_scripts():
        r = _run(cmd, '--help')
        assert r.returncode == 0 and r.stdout.startswith('usage: ') and not r.stderr, (cmd, r.stdout, r.stderr)
        usage, _, body = r.stdout.partition('\n\n')
        names = re.findall(r'\[--(\w+)', usage) + [n for n in re.findall(r'(?<![\w\[-])([a-z_]+)\b(?![^\[]*\])', usage.split(cmd, 1)[1]) if n.isidentifier()]
        for name in names:
            m = re.search(rf'^  (--{name}(?: [A-Z0-9_]+)?|{name})  +(\S.*)$', body, re.M)
            assert m and len(m.group(2).split()) >= 3 and not m.group(2).startswith('(default'), (cmd, name, m and m.group(0))
