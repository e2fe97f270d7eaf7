"""Checks on the committed notebooks that need no kernel.

Notebooks are committed clean (no outputs, no execution counts) with the
``python3`` kernelspec, so nbval runs them in the current environment and
diffs stay readable. The source checks catch Keras 2 and old numpy idioms
that fail or warn on the pinned versions.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NOTEBOOK_IDS = [path.name for path in NOTEBOOKS]

# Source patterns that break on Keras 3, numpy 2 or current scikit-learn,
# with the replacement a notebook or helper should use instead.
FORBIDDEN_PATTERNS = {
    r"\blr\s*=": "use learning_rate= (Keras 3 rejects lr=)",
    r"input_shape\s*=": "start the model with keras.Input(shape=...)",
    r"input_dim\s*=": "start the model with keras.Input(shape=...)",
    r"predict_classes": "take the argmax of model.predict_on_batch(...)",
    r"\bnp\.(float|int|bool|object)\b(?!\d|_)": "use float, int or an explicit numpy dtype",
    r"\.hdf5\b|(?<!\.weights)\.h5['\"]": "save models as *.keras (weights as *.weights.h5)",
    r"allow_pickle\s*=\s*True": "never unpickle data; load .npz with allow_pickle=False",
    r"scipy\.misc": "load images with helpers.data.load_image",
    r"\bn_iter\s*=": "TSNE takes max_iter",
    r"from\s+\S+\s+import\s+\*": "import modules, not names",
    r"sys\.path": "install the helpers package instead of editing sys.path",
    r"matplotlib\.use\(": "never force a matplotlib backend",
    r"\bsleep\(": "live displays throttle by time; never sleep",
    r"tensorflow\.keras|tf\.keras": "import keras (Keras 3) directly",
}


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def code_cells(notebook):
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def source(cell):
    text = cell["source"]
    return "".join(text) if isinstance(text, list) else text


def test_notebooks_exist():
    assert len(NOTEBOOKS) >= 1, "no notebooks found in notebooks/"


def test_notebook_names_numbered():
    numbers = [int(re.match(r"(\d\d)_[a-z0-9_]+\.ipynb$", path.name).group(1))
               for path in NOTEBOOKS if re.match(r"(\d\d)_[a-z0-9_]+\.ipynb$", path.name)]
    assert len(numbers) == len(NOTEBOOKS), f"names must look like 01_topic.ipynb: {NOTEBOOK_IDS}"
    assert numbers == list(range(1, len(numbers) + 1)), f"numbers must run 01, 02, ...: {NOTEBOOK_IDS}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_kernelspec_python3(path):
    kernelspec = load(path)["metadata"].get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"{path.name}: kernelspec is {kernelspec!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_outputs_cleared(path):
    with_outputs = [index for index, cell in enumerate(code_cells(load(path))) if cell.get("outputs")]
    assert with_outputs == [], f"{path.name}: code cells {with_outputs} have outputs; clear them"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_execution_counts_cleared(path):
    counted = [index for index, cell in enumerate(code_cells(load(path)))
               if cell.get("execution_count") is not None]
    assert counted == [], f"{path.name}: code cells {counted} have execution counts; clear them"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_avoids_removed_apis(path):
    problems = []
    for index, cell in enumerate(code_cells(load(path))):
        for pattern, advice in FORBIDDEN_PATTERNS.items():
            if re.search(pattern, source(cell)):
                problems.append(f"code cell {index}: /{pattern}/: {advice}")
    assert problems == [], f"{path.name}:\n" + "\n".join(problems)


def test_helpers_avoid_removed_apis():
    problems = []
    for path in sorted((ROOT / "helpers").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern, advice in FORBIDDEN_PATTERNS.items():
            if pattern in (r"\bsleep\(", r"allow_pickle\s*=\s*True"):
                continue  # helpers.data mentions these in messages and checks
            if re.search(pattern, text):
                problems.append(f"{path.name}: /{pattern}/: {advice}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_setup_seeds(path):
    sources = [source(cell) for cell in code_cells(load(path))]
    assert any("helpers.setup(" in text for text in sources), f"{path.name}: no helpers.setup(...) call"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_has_summary(path):
    headings = [source(cell) for cell in load(path)["cells"] if cell["cell_type"] == "markdown"]
    assert any(re.search(r"^#+\s*Summary", text, re.M) for text in headings), f"{path.name}: no Summary heading"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_notebook_exercises_follow_convention(path):
    """Each exercise has a Goal, a starter cell, and a hidden, tagged solution that asserts."""
    cells = load(path)["cells"]
    exercise_starts = [index for index, cell in enumerate(cells)
                       if cell["cell_type"] == "markdown" and re.search(r"^##\s+Exercise\s+\d+", source(cell), re.M)]
    assert exercise_starts, f"{path.name}: no '## Exercise N: ...' heading"
    for start in exercise_starts:
        text = source(cells[start])
        exercise_text = text[re.search(r"^##\s+Exercise\s+\d+", text, re.M).start():]
        heading = exercise_text.splitlines()[0]
        assert "**Goal:**" in exercise_text, f"{path.name}: '{heading}' has no **Goal:** line"
        following = cells[start + 1:]
        solution_heading = next((offset for offset, cell in enumerate(following)
                                 if cell["cell_type"] == "markdown"
                                 and re.match(r"###\s+Solution", source(cell))), None)
        assert solution_heading is not None, f"{path.name}: '{heading}' has no '### Solution' heading"
        starter = following[:solution_heading]
        assert any(cell["cell_type"] == "code" for cell in starter), f"{path.name}: '{heading}' has no starter cell"
        # The solution runs to the next exercise heading or the notebook's end;
        # markdown cells may explain it between its code cells.
        solution_cells = []
        for cell in following[solution_heading + 1:]:
            if cell["cell_type"] == "markdown" and re.search(r"^##\s+Exercise\s+\d+", source(cell), re.M):
                break
            if cell["cell_type"] == "code":
                solution_cells.append(cell)
        assert solution_cells, f"{path.name}: '{heading}' has no solution code cell"
        for cell in solution_cells:
            assert "solution" in cell["metadata"].get("tags", []), f"{path.name}: '{heading}' solution not tagged"
            hidden = cell["metadata"].get("jupyter", {}).get("source_hidden")
            assert hidden is True, f"{path.name}: '{heading}' solution not collapsed"
        assert "assert " in source(solution_cells[-1]), f"{path.name}: '{heading}' solution checks no goal"
