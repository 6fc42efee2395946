"""The import contract of pyproject.toml ([tool.importlinter]): apps in layers, agenda importing
none of the others, no cycles between an app's modules. `make lint` and `make test` run it too;
here it is shown to hold on the project and to break on a deliberate import against the layers.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = [
    "agenda",
    "documents",
    "speakers",
    "registration",
    "proceedings",
    "outbox",
    "organizers",
    "devtools",
    "idm_seminar",
]

pytestmark = pytest.mark.slow


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def project_copy(tmp_path):
    """The project's packages and pyproject.toml, copied where a test may change them."""
    for package in PACKAGES:
        shutil.copytree(
            REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_import_contract_kept_by_the_project(project_copy):
    result = _lint_imports(project_copy)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_import_contract_broken_by_agenda_importing_registration(project_copy):
    views = project_copy / "agenda" / "views.py"
    views.write_text(views.read_text() + "\nfrom registration import services  # noqa\n")

    result = _lint_imports(project_copy)

    assert result.returncode == 1
    assert "agenda.views -> registration.services" in result.stdout


def test_import_contract_broken_by_documents_importing_speakers(project_copy):
    pdf = project_copy / "documents" / "pdf.py"
    pdf.write_text(pdf.read_text() + "\nfrom speakers import models  # noqa\n")

    result = _lint_imports(project_copy)

    assert result.returncode == 1
    assert "documents.pdf -> speakers.models" in result.stdout


def test_import_contract_broken_by_outbox_importing_registration(project_copy):
    services = project_copy / "outbox" / "services.py"
    services.write_text(services.read_text() + "\nfrom registration import models  # noqa\n")

    result = _lint_imports(project_copy)

    assert result.returncode == 1
    assert "outbox.services -> registration.models" in result.stdout


def test_agenda_templates_name_no_url_of_another_app():
    """Templates are outside the import contract: the agenda's name only agenda URLs, and reach
    the other apps' pages and PDFs through the project's includes (templates/includes/)."""
    named = re.compile(r"""\{%\s*url\s+['"](\w+):""")
    foreign = {
        f"{path.relative_to(REPO)}: {match.group(1)}"
        for path in (REPO / "templates" / "agenda").rglob("*.html")
        for match in named.finditer(path.read_text())
        if match.group(1) != "agenda"
    }

    assert foreign == set()
