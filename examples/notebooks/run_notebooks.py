"""Execute every notebook in this folder against a running Weft.

Each notebook runs top to bottom in a fresh Python kernel with nbclient; a
cell that raises fails the run. WEFT_URL and WEFT_TOKEN pass through to the
notebooks. Executed copies go to the folder given as the first argument,
when there is one, so the committed notebooks stay without outputs.

    WEFT_URL=http://127.0.0.1:8080 python run_notebooks.py [OUTPUT_DIR]
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

CELL_TIMEOUT_SECONDS = 180


def run(notebook_path: Path, output_dir: Path | None) -> bool:
    notebook = nbformat.read(notebook_path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook_path.parent)}},
    )
    try:
        client.execute()
        passed = True
    except CellExecutionError as error:
        print(f"FAILED {notebook_path.name}: {error}", file=sys.stderr)
        passed = False
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, output_dir / notebook_path.name)
    if passed:
        print(f"ok {notebook_path.name}")
    return passed


def main() -> int:
    output_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    notebooks = sorted(Path(__file__).parent.glob("*.ipynb"))
    if not notebooks:
        print("no notebooks found", file=sys.stderr)
        return 1
    results = [run(path, output_dir) for path in notebooks]
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
