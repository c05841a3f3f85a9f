"""Every notebook in ``notebooks/`` runs from top to bottom (their cells assert what they
show). ``python tests/test_notebooks.py --save`` executes them and saves their outputs."""

from __future__ import annotations

import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def execute(path: Path) -> nbformat.NotebookNode:
    """Runs a notebook in its own folder; returns it with fresh outputs (kernel warnings on
    stderr dropped)."""
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs if not (o.get("name") == "stderr" and "Kernel" in o.text)
            ]
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path) -> None:
    nb = execute(path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors


if __name__ == "__main__":
    if "--save" in sys.argv:
        for path in NOTEBOOKS:
            nbformat.write(execute(path), path)
            print(f"executed {path.name}")
