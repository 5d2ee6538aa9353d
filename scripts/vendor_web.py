"""Copy the dashboard's third-party assets from node_modules/ into src/eventwatch/web/static/vendor/.

The page must work with no network, so every script, stylesheet and the world boundaries are served
by the app itself. They come from the npm packages pinned in package.json (installed by `npm ci`),
never from a CDN, and are rebuilt here rather than committed. Run after `npm ci`:

    npm ci --no-audit --no-fund && .venv/bin/python scripts/vendor_web.py
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# package -> files (relative to the package folder) copied flat into vendor/, plus its licence.
ASSETS: dict[str, tuple[str, ...]] = {
    "echarts": ("dist/echarts.min.js",),
    "leaflet": ("dist/leaflet.js", "dist/leaflet.css"),
    "cytoscape": ("dist/cytoscape.min.js",),
    "topojson-client": ("dist/topojson-client.min.js",),
    "world-atlas": ("countries-50m.json",),
}
TREES: dict[str, tuple[str, str]] = {"leaflet": ("dist/images", "images")}  # leaflet.css refers to images/


class VendorError(Exception):
    """A package or file the dashboard needs is missing from node_modules/."""


def _pinned(root: Path) -> dict[str, str]:
    manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    return dict(manifest.get("dependencies", {}))


def _installed_version(package_dir: Path) -> str:
    manifest = package_dir / "package.json"
    if not manifest.is_file():
        raise VendorError(f"{package_dir}: not installed; run `npm ci --no-audit --no-fund` first")
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


def _iso_numeric_to_alpha3() -> dict[str, str]:
    """world-atlas names countries by ISO 3166-1 numeric code; events carry alpha-3 codes."""
    import pycountry

    return {c.numeric: c.alpha_3 for c in pycountry.countries}


def vendor(*, root: Path = ROOT, out: Path | None = None) -> dict[str, str]:
    """Copy the assets, check each installed version is the pinned one; returns package -> version."""
    node_modules = root / "node_modules"
    out = out or root / "src" / "eventwatch" / "web" / "static" / "vendor"
    pinned = _pinned(root)
    versions: dict[str, str] = {}
    staged = out.with_name(out.name + ".tmp")
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    for package, files in ASSETS.items():
        package_dir = node_modules / package
        version = _installed_version(package_dir)
        if pinned.get(package) != version:
            raise VendorError(
                f"{package_dir}: version {version} installed but package.json pins {pinned.get(package)}; "
                "run `npm ci`"
            )
        versions[package] = version
        for name in files:
            src = package_dir / name
            if not src.is_file():
                raise VendorError(f"{src}: missing from the {package}@{version} package")
            shutil.copy2(src, staged / src.name)
        licence = package_dir / "LICENSE"
        if licence.is_file():
            shutil.copy2(licence, staged / f"LICENSE.{package}")
        if package in TREES:
            tree, target = TREES[package]
            shutil.copytree(package_dir / tree, staged / target)
    (staged / "iso-3166-numeric.json").write_text(
        json.dumps(_iso_numeric_to_alpha3(), sort_keys=True), encoding="utf-8"
    )
    manifest = json.dumps(versions, indent=2, sort_keys=True) + "\n"
    (staged / "VERSIONS.json").write_text(manifest, encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    staged.rename(out)
    return versions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (holds node_modules/)")
    args = parser.parse_args(argv)
    try:
        versions = vendor(root=args.root)
    except VendorError as exc:
        print(f"vendor_web: {exc}", file=sys.stderr)
        return 1
    print("vendored " + ", ".join(f"{k}@{v}" for k, v in sorted(versions.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
