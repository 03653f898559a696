"""Copy the project's ontology/, shapes/, queries/ and data/ into the wheel.

The top-level folders stay the source of truth; the build puts a plain copy
(no symlinks) under ``kzbudget_graph/_data/`` where ``resources.py`` finds it.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
FOLDERS = ("ontology", "shapes", "queries", "data")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads the project folders directly
        target = Path(self.build_lib) / "kzbudget_graph" / "_data"
        for name in FOLDERS:
            source = ROOT / name
            if source.is_dir():
                shutil.rmtree(target / name, ignore_errors=True)
                shutil.copytree(source, target / name, symlinks=False)


setup(cmdclass={"build_py": BuildWithData})
