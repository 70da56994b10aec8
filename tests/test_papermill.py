"The experiment notebooks' parameter contract, through papermill itself (clipnb.experiments.notebook_params)."
import nbformat
import papermill as pm
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
import pytest

CELLS = [
    "from clipnb.experiments import defined_names, notebook_params\n_before = defined_names(globals())",
    "preset = 'quick'\nc1 = None",
    "P = notebook_params(globals(), _before, dict(preset=(lambda v: v in ('quick', 'smoke'), \"one of ['quick', 'smoke']\"),\n"
    "                                             c1=(lambda v: v is None or v >= 0, 'a change rate >= 0, or None for the grid')))\n"
    "print('PARAMS', P)",
]

@pytest.fixture
def notebook(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.cells[1].metadata['tags'] = ['parameters']
    nb.metadata['kernelspec'] = dict(name='python3', display_name='Python 3', language='python')
    path = tmp_path/'exp.ipynb'; nbformat.write(nb, path)
    return path

def run(path, **params):
    out = path.with_name('out.ipynb')
    pm.execute_notebook(str(path), str(out), parameters=params, kernel_name='python3', progress_bar=False, cwd=str(path.parent))
    return ''.join(o.get('text', '') for c in nbformat.read(out, 4).cells for o in c.get('outputs', []))

def test_a_valid_parameter_runs(notebook):
    assert "PARAMS {'preset': 'quick', 'c1': 0.0001}" in run(notebook, c1=1e-4)

def test_a_mistyped_parameter_stops_the_notebook(notebook):
    with pytest.raises(pm.PapermillExecutionError, match=r"unknown parameter\(s\) \['c_1'\]; valid parameters: \['c1', 'preset'\]"):
        run(notebook, c_1=1e-4)

def test_an_invalid_value_stops_the_notebook(notebook):
    with pytest.raises(pm.PapermillExecutionError, match="preset='fast': expected one of"):
        run(notebook, preset='fast')


# The real experiment notebooks (nbs/experiments/): the same contract, checked on each.
import ast
from pathlib import Path
EXPERIMENTS = sorted((Path(__file__).resolve().parents[1]/'nbs'/'experiments').glob('*.ipynb'))

def parameters_cell(path):
    cells = [c for c in nbformat.read(path, 4).cells if 'parameters' in c.metadata.get('tags', [])]
    assert len(cells) == 1, f"{path.name}: expected one cell tagged 'parameters', found {len(cells)}"
    return cells[0].source

@pytest.mark.parametrize('path', EXPERIMENTS, ids=lambda p: p.stem)
def test_parameters_are_plain_literals(path):
    tree = ast.parse(parameters_cell(path))
    for node in tree.body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name), \
            f"{path.name}: the parameters cell may only assign names: {ast.unparse(node)}"
        ast.literal_eval(node.value)   # raises on anything but a literal
    names = {n.targets[0].id for n in tree.body}
    assert {'preset', 'seeds', 'out_dir', 'runs_dir'} <= names, f"{path.name}: the common parameters are missing"

def run_in_process(path, **params):
    """Papermill's parameterised copy of an experiment notebook, its code cells run in this process up to the cell that
    checks the parameters (no kernel to start: about 1 s instead of 8). The same cell sources run as in a kernel; that a
    kernel behaves the same is checked on the first notebook below, and on the toy notebook above."""
    nb = parameterize_notebook(load_notebook_node(str(path)), params, kernel_name='python3', language='python')
    code = [c.source for c in nb.cells if c.cell_type == 'code']
    last = next(i for i, src in enumerate(code) if 'experiment_params(' in src or 'notebook_params(' in src)
    namespace = {}
    for i, src in enumerate(code[:last + 1]): exec(compile(src, f'{path.name}, code cell {i}', 'exec'), namespace)

@pytest.mark.parametrize('path', EXPERIMENTS, ids=lambda p: p.stem)
def test_experiment_refuses_a_mistyped_parameter(path):
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) \['seed'\]; valid parameters: \[.*'seeds'"):
        run_in_process(path, seed=0)

@pytest.mark.parametrize('path', EXPERIMENTS, ids=lambda p: p.stem)
def test_experiment_refuses_an_invalid_value(path):
    with pytest.raises(ValueError, match=r"preset='fast': expected one of \['smoke', 'quick', 'paper'\]"):
        run_in_process(path, preset='fast')

@pytest.mark.parametrize('path', EXPERIMENTS[:1], ids=lambda p: p.stem)
def test_a_kernel_refuses_a_mistyped_parameter_of_an_experiment(path, tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match=r"unknown parameter\(s\) \['seed'\]; valid parameters: \[.*'seeds'"):
        pm.execute_notebook(str(path), str(tmp_path/'out.ipynb'), parameters=dict(seed=0), kernel_name='python3',
                            progress_bar=False, cwd=str(tmp_path))
