"""`gongkai init`: the files of a new town repository, as text (written by the command).

A small but complete site: the town (`content/site.yaml`, every field explained), one catalog
area, one village, one document of each attribute, and the repository's tooling — `.gitignore`,
a GitHub Actions workflow and a pre-commit hook that install gongkai by its exact version, and
VS Code settings that link the JSON Schemas (written beside by `gongkai.schema.write_schemas`).
"""

from __future__ import annotations

import json

from .schema import GLOBS

SITE_YAML = """\
# 本镇政务公开网站的基本信息。每一项的含义写在它上面的注释里；改完运行 gongkai check 检查。
# 发布机构全称（必填），显示在每页页眉和页脚，例如：全州县永岁镇人民政府
name: 某某县某某镇人民政府
# 简称（必填），用于标题和导航，例如：永岁镇
short_name: 某某镇
# 所属县（必填）
county: 某某县
# 所属市（可选）
city: 某某市
# 所属省（区）（可选）
province: 某某省
# 统计用区划代码（可选）：9 位或 12 位数字，加引号，例如 "450324114"
division_code: "450324114"
# 机构代码（必填）：统一社会信用代码（18 位）或组织机构代码（9 位），用于生成索引号。请换成本镇的真实代码。
org_code: 11450324MB0000000Q
# 索引号格式（可选）：可用占位符 {org_code} {year} {seq}
index_number_format: "{org_code}/{year}-{seq:05d}"
# 网站地址（可选）：发布后的网址，用于规范链接、站点地图和订阅源，例如 https://gk.example.gov.cn/
# base_url: https://gk.example.gov.cn/
# 网站简介（可选），显示在首页
description: 某某镇人民政府政务公开网站。
# 联系方式（可选，可写多个）：名称、电话、地址、办公时间、电子邮箱
contacts:
  - name: 党政综合办公室（政务公开工作机构）
    phone: 0000-0000000
    address: 某某镇某某街1号
    hours: 工作日 8:00-12:00，15:00-18:00
# 依申请公开办理说明（必填）：受理机构、地址、电话、方式、期限，支持 Markdown
apply: |
  公民、法人或者其他组织可以向本镇党政综合办公室提交书面申请，获取本镇制作或者保存的政府信息。
  能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复。
# 解读同步天数（可选）：政策解读晚于政策发布超过该天数时给出警告
interpretation_lag_days: 3
# 意见采纳情况期限（天）（可选）：征求意见截止后多少天内应公布采纳情况，默认 30
consultation_feedback_days: 30
# 年报公布期限（可选，月-日）：上一年度政府信息公开工作年度报告的公布期限，默认 1月31日
annual_report_due: "01-31"
# 网站标识（可选）：主办单位、网站标识码、ICP备案号、公安机关备案号、党政机关网站标识和“我为政府网站找错”的链接，
# 填写后显示在每页页脚。请只填写本镇真实的备案信息，不要照抄示例。
# identity:
#   sponsor: 某某县某某镇人民政府
#   site_code: "0000000000"
#   icp: 某ICP备00000000号
#   police: 某公网安备 00000000000000号
# 政府信息公开指南的数据（可选）：受理机构、地址、电话、传真、邮箱，公开查阅点，监督和救济渠道，更新日期。
# 不填时“公开指南”页面只列出法定的救济途径。填写后 gongkai check 会提示填写 digest。
# disclosure:
#   office:
#     name: 某某镇党政综合办公室
#     address: 某某镇某某街1号
#     hours: 工作日 8:00-12:00，15:00-18:00
#     phone: 0000-0000000
#   updated: 2026-01-01
# 自查周期（年）（可选）：不予公开信息的自查周期
review_interval_years: 2
# 文件大小上限（KB）（可选）：超过此大小的内容文件和附件将被拒绝
max_file_kb: 10240
"""

CATALOG_YAML = """\
# 一个公开领域的目录：事项的 id 在文件的 item 字段里引用。
area: 社会救助
order: 1
items:
  - id: shjz-dibao
    level1: 最低生活保障
    level2: 审核信息
    content: 初审对象名单及相关信息
    basis: 《社会救助暂行办法》
    time_limit: 制定或获取信息之日起10个工作日内，公示7个工作日
    subject: 某某镇人民政府
    channels: [政府网站, 社区/企事业单位/村公示栏（电子屏）]
    level: 乡、村级
    key_area: 社会救助
"""

VILLAGE_YAML = """\
# 一个村（社区）。页面上标注“示例”直到把 sample 改为 false。
name: 示例村
committee: 示例村村民委员会
notice_board: 村委会办公楼前
sample: true
"""

ACTIVE_MD = """\
---
title: 关于做好最低生活保障审核工作的通知
attribute: 主动公开
item: shjz-dibao
kind: 通知
created: {created}
published: {published}
---
这是一份主动公开的示例文件：它出现在网站、订阅源和站内搜索中。请按本镇实际内容修改或删除。
"""

ON_REQUEST_MD = """\
---
title: 最低生活保障申请家庭经济状况核对台账
attribute: 依申请公开
reason: 台账记载申请家庭的收入和财产情况，涉及特定群体利益，面向当事人依申请提供。
item: shjz-dibao
kind: 名单
created: {created}
reviewed: {created}
---
这是一份依申请公开的示例文件：网站只列出它的目录信息，正文不公开。
"""

WITHHELD_MD = """\
---
title: 最低生活保障申请家庭入户调查记录
attribute: 不予公开
reason: 记录包含申请家庭成员的健康状况和收入等个人信息，公开会对当事人权益造成损害。
legal_basis: 个人隐私
item: shjz-dibao
kind: 报告
created: {created}
reviewed: {created}
---
这是一份不予公开的示例文件：它只用于内部登记和自查，任何内容都不会出现在网站上。
"""

GITIGNORE = """\
/site/
/site.*/
/.site-*/
/.site.*
/.gongkai-cache/
/.cache/
/reports/
/gongkai-site.zip
__pycache__/
"""

WORKFLOW = """\
# 每次推送和合并请求：检查内容、生成网站并上传为构建产物。
name: gongkai
on:
  push:
    branches: [main]
  pull_request:
jobs:
  site:
    runs-on: ubuntu-latest
    env:
      TZ: Asia/Shanghai
      PYTHONUTF8: "1"
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: 安装 gongkai
        run: pip install gongkai=={version}
      # 恢复生成缓存：合并请求的生成是增量重建（GitHub 的缓存按分支隔离，见 gongkai 的 docs/ci）
      - uses: actions/cache@v4
        with:
          path: ~/.cache/gongkai
          key: gongkai-${{{{ runner.os }}}}-${{{{ github.sha }}}}
          restore-keys: gongkai-${{{{ runner.os }}}}-
      - name: 检查内容
        run: gongkai check --format github
      - name: 生成网站
        run: gongkai build --format github
      - uses: actions/upload-artifact@v4
        with:
          name: site
          path: site/
"""

PRE_COMMIT = """\
# 提交前运行 gongkai check（先运行一次 pre-commit install）。
repos:
  - repo: local
    hooks:
      - id: gongkai-check
        name: gongkai check（政务公开内容检查）
        entry: gongkai check
        language: python
        additional_dependencies: ["gongkai=={version}"]
        pass_filenames: false
        files: ^content/
        require_serial: true
"""

README = """\
# {title}

本仓库保存政务公开网站的内容，由 [gongkai](https://pypi.org/project/gongkai/) {version} 生成网站。

    pip install gongkai=={version}
    gongkai check      # 检查内容
    gongkai build      # 生成网站到 site/
    gongkai serve      # 本机预览

内容在 `content/`；要改页面样式，把 gongkai 的模板复制到 `templates/`（同名文件覆盖内置模板）。
"""


def town_files(version: str, created: str, published: str) -> dict[str, str]:
    """Relative path -> text of every file of a new town repository (schemas not included)."""
    dates = {"created": created, "published": published}
    settings = {"yaml.schemas": {f"./schemas/{name}.schema.json": globs for name, globs in GLOBS.items()}}
    return {
        "content/site.yaml": SITE_YAML,
        "content/catalog/shjz.yaml": CATALOG_YAML,
        "content/villages/shili.yaml": VILLAGE_YAML,
        "content/documents/dibao-tongzhi.md": ACTIVE_MD.format(**dates),
        "content/documents/dibao-hedui-taizhang.md": ON_REQUEST_MD.format(**dates),
        "content/documents/dibao-ruhu-diaocha.md": WITHHELD_MD.format(**dates),
        ".gitignore": GITIGNORE,
        ".github/workflows/gongkai.yml": WORKFLOW.format(version=version),
        ".pre-commit-config.yaml": PRE_COMMIT.format(version=version),
        ".vscode/settings.json": json.dumps(settings, ensure_ascii=False, indent=2) + "\n",
        "README.md": README.format(title="政务公开网站", version=version),
    }
