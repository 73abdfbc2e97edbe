"""Make the example county's `towns/`: 永岁镇 from the repository's `content/` and a generated
township (benchmarks/generate.py, synthetic, marked as such) — content/ is never duplicated in git.

    python examples/county/make.py            # writes examples/county/towns/
    cd examples/county && gongkai build       # builds the county into examples/county/site/
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def generated_town(out: Path, docs: int, seed: int, short_name: str) -> Path:
    """A generated township named `short_name` (the generator's town renamed in its site.yaml)."""
    sys.path.insert(0, str(REPO))
    from benchmarks.generate import TOWN, generate

    generate(out, docs, seed)
    site = out / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace(TOWN, short_name), encoding="utf-8")
    return out


def make_county(root: Path, docs: int = 60, seed: int = 7, county_yaml: Path | None = None) -> Path:
    """`root`/county.yaml and `root`/towns/{yongsui,qingxi}; returns `root`."""
    root.mkdir(parents=True, exist_ok=True)
    if county_yaml is None:
        county_yaml = HERE / "county.yaml"
    if county_yaml.resolve() != (root / "county.yaml").resolve():
        shutil.copyfile(county_yaml, root / "county.yaml")
    towns = root / "towns"
    shutil.rmtree(towns, ignore_errors=True)
    shutil.copytree(REPO / "content", towns / "yongsui")
    generated_town(towns / "qingxi", docs, seed, "青溪镇")
    return root


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="生成示例县级专区的 towns/")
    p.add_argument("--docs", type=int, default=60, help="合成乡镇的文件数（默认 60）")
    args = p.parse_args(argv)
    make_county(HERE, args.docs)
    print(f"已生成 {HERE / 'towns'}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
