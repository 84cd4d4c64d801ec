"""Where the dbt project lives, whatever the working directory.

cron starts the CLI from the home folder, so nothing may depend on the cwd: the project is
found next to this package in a source checkout (editable install), else inside the wheel,
where pyproject.toml force-includes dbt_project/, seeds/ and macros/ under painrcm/_project/
with the same relative layout that dbt_project.yml's ../seeds and ../macros rely on.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    for candidate in (_PACKAGE_DIR.parent, _PACKAGE_DIR / "_project"):
        if (candidate / "dbt_project" / "dbt_project.yml").is_file():
            return candidate
    raise FileNotFoundError(
        f"cannot find dbt_project/dbt_project.yml next to {_PACKAGE_DIR}: reinstall painrcm"
    )


def dbt_project_dir() -> Path:
    return project_root() / "dbt_project"


def dashboards_dir() -> Path:
    """The Streamlit app (dashboards/app.py): beside the package in a checkout, or installed
    as the top-level `dashboards` package from the wheel."""
    candidate = _PACKAGE_DIR.parent / "dashboards"
    if (candidate / "app.py").is_file():
        return candidate
    import dashboards

    return Path(dashboards.__file__).resolve().parent
