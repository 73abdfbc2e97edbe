"""Vocabulary and fixed content of the synthetic benchmark corpus (see `generate.py`).

Words and sentences are those of township notices (低保审核, 村级财务, 高龄津贴 ...), so that
Markdown, the search tokeniser and the page templates see realistic text: repeated domain
words, numbers, masked names (张某华), landline numbers only.
"""

from __future__ import annotations

from typing import Any

TOWN_SUBJECT = "青溪镇人民政府"

# (id, level1, level2, content, basis, time_limit, level, key_area, channels)
_ITEMS: dict[tuple[str, str, int], list[tuple[Any, ...]]] = {
    ("shjz", "社会救助", 10): [
        ("shjz-dibao-zhinan", "最低生活保障", "办事指南", "办理事项、办理条件、保障标准、申请材料、办理流程", ["《社会救助暂行办法》"], "制定或获取信息之日起10个工作日内", "县级、乡级", None, "政府网站 政务服务中心"),
        ("shjz-dibao-shenhe", "最低生活保障", "审核信息", "初审对象名单及相关信息（户主姓名、村组、保障人数、拟保障金额）", ["《社会救助暂行办法》", "《最低生活保障审核确认办法》"], "制定或获取信息之日起10个工作日内，公示7个工作日", "乡、村级", "社会救助", "社区/企事业单位/村公示栏（电子屏） 政府网站"),
        ("shjz-dibao-fafang", "最低生活保障", "资金发放", "当月低保金发放户数、人数和金额", ["《社会救助暂行办法》"], "每月发放后10个工作日内公开", "乡级", None, "政府网站"),
        ("shjz-tekun-shenhe", "特困人员救助供养", "审核信息", "审核对象名单及相关信息（姓名、村组、供养方式）", ["《特困人员认定办法》"], "制定或获取信息之日起10个工作日内，公示7个工作日", "乡、村级", "社会救助", "社区/企事业单位/村公示栏（电子屏）"),
        ("shjz-linshi-jiuzhu", "临时救助", "救助结果", "救助对象人数、救助金额", ["《社会救助暂行办法》"], "每季度结束后10个工作日内公开上季度救助情况", "乡级", None, "政府网站 公开查阅点"),
    ],
    ("cwgk", "村级财务", 20): [
        ("cwgk-zhidu", "村级财务管理", "管理制度", "村级财务管理制度、村务监督制度", ["《村民委员会组织法》"], "信息形成或者变更之日起20个工作日内", "乡级", None, "政府网站"),
        ("cwgk-caiwu-yue", "村级财务收支", "月度收支", "村集体当月收入、支出明细", ["《村民委员会组织法》"], "每月10日前公开上月财务收支情况", "村级", "村级财务", "社区/企事业单位/村公示栏（电子屏）"),
        ("cwgk-zhongda-shixiang", "村级重大事项", "决议及实施", "一事一议、村民代表会议决议及实施结果", ["《村民委员会组织法》"], "决议形成之日起5个工作日内公开", "村级", "村级财务", "社区/企事业单位/村公示栏（电子屏） 入户/现场"),
        ("cwgk-jiti-zichan", "集体资产", "清产核资", "集体资产、资源清查结果和经营情况", ["《农村集体经济组织法》"], "信息形成或者变更之日起20个工作日内", "乡、村级", "村级财务", "社区/企事业单位/村公示栏（电子屏）"),
    ],
    ("czyjs", "财政预决算", 30): [
        ("czyjs-yusuan", "财政预决算", "部门预算", "预算报表及说明、“三公”经费预算", ["《中华人民共和国预算法》"], "本级人民代表大会或其常务委员会批准后20日内", "乡级", None, "政府网站 政府公报"),
        ("czyjs-juesuan", "财政预决算", "部门决算", "决算报表及说明、“三公”经费决算", ["《中华人民共和国预算法》"], "本级人民代表大会或其常务委员会批准后20日内", "乡级", None, "政府网站"),
    ],
    ("snbt", "涉农补贴", 40): [
        ("snbt-zhengce", "惠民惠农政策", "补贴政策", "补贴政策依据、补贴对象、补贴标准", ["《关于进一步加强惠民惠农财政补贴资金“一卡通”管理的指导意见》"], "信息形成或者变更之日起20个工作日内", "乡级", None, "政府网站 精准推送"),
        ("snbt-gengdi", "耕地地力保护补贴", "发放信息", "补贴面积、补贴标准、补贴金额", ["《耕地地力保护补贴资金管理办法》"], "信息形成或者变更之日起20个工作日内，发放前公示不少于5天", "乡、村级", "惠农政策", "社区/企事业单位/村公示栏（电子屏） 政府网站"),
    ],
    ("xczx", "乡村振兴", 50): [
        ("xczx-zhengce", "乡村振兴政策", "政策文件", "衔接资金政策、产业帮扶政策", ["《中华人民共和国乡村振兴促进法》"], "信息形成或者变更之日起20个工作日内", "乡、村级", "乡村振兴", "政府网站 社区/企事业单位/村公示栏（电子屏）"),
        ("xczx-xiangmu", "衔接资金项目", "项目实施", "项目名称、建设内容、资金规模、实施单位、绩效目标", ["《中央财政衔接推进乡村振兴补助资金管理办法》"], "信息形成或者变更之日起20个工作日内", "乡、村级", "乡村振兴", "政府网站 社区/企事业单位/村公示栏（电子屏）"),
        ("xczx-renjuhuanjing", "人居环境整治", "整治情况", "村庄清洁行动、厕所改造、垃圾污水治理", ["《农村人居环境整治提升五年行动方案》"], "信息形成或者变更之日起20个工作日内", "乡、村级", "乡村振兴", "社区/企事业单位/村公示栏（电子屏）"),
    ],
    ("ylfw", "养老服务", 60): [
        ("ylfw-gaoling-zhinan", "高龄津贴", "办事指南", "申领条件、申请材料、办理流程", ["《老年人权益保障法》"], "信息形成或者变更之日起20个工作日内", "乡级", None, "政府网站 政务服务中心"),
        ("ylfw-gaoling-fafang", "高龄津贴", "发放信息", "发放人数、发放标准、发放金额", ["《老年人权益保障法》"], "每季度发放后20个工作日内", "乡级", None, "政府网站"),
        ("ylfw-jujia", "居家养老服务", "服务对象", "服务对象、服务内容、服务补贴", ["《养老服务体系建设规划》"], "信息形成或者变更之日起20个工作日内", "乡、村级", "养老服务", "社区/企事业单位/村公示栏（电子屏）"),
    ],
    ("ywjy", "义务教育", 70): [
        ("ywjy-kongchuo", "控辍保学", "工作情况", "控辍保学工作方案、劝返复学情况", ["《中华人民共和国义务教育法》"], "信息形成或者变更之日起20个工作日内", "乡级", None, "政府网站"),
        ("ywjy-zizhu", "学生资助", "资助名单", "家庭经济困难学生生活补助对象（监护人姓名、村组、人数）", ["《学生资助资金管理办法》"], "信息形成或者变更之日起20个工作日内", "乡、村级", "义务教育", "社区/企事业单位/村公示栏（电子屏）"),
    ],
    ("zdjs", "重大建设项目", 80): [
        ("zdjs-xiangmu", "重大建设项目", "批准和实施", "项目审批、招标投标、施工进度、竣工验收", ["《政府投资条例》"], "信息形成或者变更之日起20个工作日内", "乡级", None, "政府网站 公开查阅点"),
    ],
    ("aqsc", "安全生产", 90): [
        ("aqsc-jiancha", "安全生产", "监督检查", "检查计划、检查结果、隐患整改", ["《中华人民共和国安全生产法》"], "信息形成或者变更之日起20个工作日内", "乡级", None, "政府网站"),
        ("aqsc-yingji", "应急管理", "防汛抗旱", "应急预案、防汛抗旱工作部署、转移避险", ["《中华人民共和国突发事件应对法》"], "信息形成或者变更之日起20个工作日内", "乡、村级", "乡村振兴", "政府网站 广播电视 社区/企事业单位/村公示栏（电子屏）"),
    ],
    ("tdzs", "土地征收", 100): [
        ("tdzs-yuzhengshou", "土地征收", "征收预公告", "征收范围、征收目的、开展土地现状调查安排", ["《中华人民共和国土地管理法》"], "拟申请征收土地前发布，预公告时间不少于10个工作日", "乡、村级", "乡村振兴", "政府网站 社区/企事业单位/村公示栏（电子屏）"),
    ],
    ("zwgk", "政务公开", 110): [
        ("zwgk-niandu-baogao", "政府信息公开年度报告", None, "上一年度政府信息公开工作情况", ["《中华人民共和国政府信息公开条例》"], "每年1月31日前公布上一年度报告", "乡级", None, "政府网站"),
        ("zwgk-zhengce-wenjian", "政策文件", "规范性文件", "镇政府制定的规范性文件和其他政策文件", ["《中华人民共和国政府信息公开条例》"], "信息形成或者变更之日起20个工作日内", "乡级", None, "政府网站 政府公报"),
        ("zwgk-huiyi", "会议信息", "党政联席会议", "会议议题、决定事项", ["《中华人民共和国政府信息公开条例》"], "会议结束之日起20个工作日内", "乡级", None, "政府网站"),
        ("zwgk-jihua-zongjie", "工作计划和总结", None, "年度工作计划、工作总结", ["《中华人民共和国政府信息公开条例》"], "信息形成之日起20个工作日内", "乡级", None, "政府网站"),
    ],
}

#: Periodic 乡级 items and their period in months: `generate.py` covers every due period.
PERIODIC = {"shjz-dibao-fafang": 1, "shjz-linshi-jiuzhu": 3, "ylfw-gaoling-fafang": 3, "zwgk-niandu-baogao": 12}


def _area_yaml(name: str, order: int, items: list[tuple[Any, ...]]) -> str:
    lines = [f"area: {name}", f"order: {order}", f"description: 依据基层政务公开标准指引公开{name}领域信息。", "items:"]
    for id_, level1, level2, content, basis, time_limit, level, key_area, channels in items:
        lines += [f"  - id: {id_}", f"    level1: {level1}"]
        if level2:
            lines.append(f"    level2: {level2}")
        lines += [f"    content: \"{content}\"", "    basis:"] + [f"      - {b}" for b in basis]
        lines += [f"    time_limit: {time_limit}", f"    subject: {TOWN_SUBJECT}", "    channels:"]
        lines += [f"      - {c}" for c in channels.split()]
        lines += ["    audience: 全社会", "    mode: 主动", f"    level: {level}"]
        if key_area:
            lines.append(f"    key_area: {key_area}")
    return "\n".join(lines) + "\n"


CATALOG: dict[str, str] = {slug: _area_yaml(name, order, items) for (slug, name, order), items in _ITEMS.items()}


def items_of(catalog: dict[str, str]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Item id → (area slug, area name, item fields) of the catalog above."""
    out = {}
    for (slug, name, _), items in _ITEMS.items():
        for id_, level1, level2, *_rest in items:
            level = _rest[3]
            out[id_] = (slug, name, {"level1": level1, "level2": level2, "level": level, "time_limit": _rest[2]})
    return out


class _Guides:
    """Service guides and the two lists they must agree with (信息同源)."""

    ENTRIES: tuple[tuple[str, str, str, str, str], ...] = (
        ("最低生活保障审核确认", "行政给付", "社会事务办公室", "30个工作日", "shjz-dibao-zhinan"),
        ("特困人员认定", "行政确认", "社会事务办公室", "20个工作日", "shjz-dibao-zhinan"),
        ("临时救助申请", "行政给付", "社会事务办公室", "10个工作日", "shjz-dibao-zhinan"),
        ("高龄津贴申领", "公共服务", "社会事务办公室", "15个工作日", "ylfw-gaoling-zhinan"),
        ("耕地地力保护补贴申报", "公共服务", "农业农村服务中心", "20个工作日", "snbt-zhengce"),
        ("农村宅基地建房审批", "行政许可", "自然资源和规划所", "20个工作日", "zwgk-zhengce-wenjian"),
        ("计划生育家庭奖励扶助申请", "行政给付", "卫生健康办公室", "20个工作日", "zwgk-zhengce-wenjian"),
        ("残疾人两项补贴申请", "行政给付", "社会事务办公室", "15个工作日", "shjz-dibao-zhinan"),
        ("独生子女父母光荣证办理", "公共服务", "卫生健康办公室", "5个工作日", "zwgk-zhengce-wenjian"),
        ("农村危房改造申请", "公共服务", "村镇建设办公室", "30个工作日", "xczx-zhengce"),
        ("家庭经济困难学生资助申请", "公共服务", "教育管理中心", "20个工作日", "ywjy-kongchuo"),
        ("城乡居民养老保险参保登记", "公共服务", "社会保障服务中心", "即时办结", "ylfw-gaoling-zhinan"),
    )

    def _entries(self, prefix: str) -> list[tuple[int, tuple[str, ...]]]:
        power = prefix == "QL"
        return [(n, e) for n, e in enumerate(self.ENTRIES, start=1) if (e[1] != "公共服务") == power]

    def list_yaml(self, kind: str, title: str, prefix: str) -> str:
        lines = [f"title: {title}", f"kind: {kind}", "updated: 2026-03-01", "entries:"]
        for n, (name, category, dept, limit, _) in self._entries(prefix):
            lines += [f"  - code: QX-{prefix}-{n:04d}", f"    name: {name}", f"    category: {category}",
                      f"    department: {dept}", f"    time_limit: {limit}", "    basis: [《中华人民共和国行政许可法》]"]
        return "\n".join(lines) + "\n"

    def guides(self, villages: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
        out = []
        for prefix in ("GG", "QL"):
            for n, (name, _category, dept, limit, item) in self._entries(prefix):
                slug = f"guide-{prefix.lower()}-{n:02d}"
                served = [v[0] for v in villages[n % 5 :: 40]][:4]
                text = (
                    f"title: {name}\nentry: QX-{prefix}-{n:04d}\nitem: {item}\ndepartment: {dept}\ntime_limit: {limit}\n"
                    f"conditions: |\n  户籍在本镇且符合{name}政策规定条件的居民，可以申请。\n"
                    "materials:\n  - name: 申请书\n    copies: 原件1份\n  - name: 居民身份证\n    copies: 复印件1份\n  - 户口簿\n"
                    "process: [申请, 受理, 审核, 公示, 办结]\nlocation: 青溪镇政务服务中心\nhours: 工作日 8:00-12:00，15:00-18:00\n"
                    f"phone: 0773-4800102\nfee: 不收费\nresult: 办理结果通知书\nvillages: [{', '.join(served)}]\nupdated: 2026-03-01\n"
                )
                out.append((slug, text))
        return out


GUIDES = _Guides()

VILLAGE_PREFIXES = [
    ("上", "shang"), ("下", "xia"), ("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("大", "da"),
    ("小", "xiao"), ("新", "xin"), ("老", "lao"), ("石", "shi"), ("黄", "huang"), ("白", "bai"), ("青", "qing"),
    ("红", "hong"), ("杨", "yang"), ("李家", "lijia"), ("王家", "wangjia"), ("陈家", "chenjia"), ("刘家", "liujia"),
    ("马", "ma"), ("高", "gao"), ("龙", "long"), ("凤", "feng"), ("桂", "gui"), ("竹", "zhu"), ("梅", "mei"),
    ("松", "song"), ("柳", "liu"), ("金", "jin"),
]
VILLAGE_CORES = [
    ("湾", "wan"), ("坪", "ping"), ("塘", "tang"), ("岭", "ling"), ("坝", "ba"), ("冲", "chong"), ("源", "yuan"),
    ("田", "tian"), ("江", "jiang"), ("山", "shan"), ("坡", "po"), ("井", "jing"), ("洲", "zhou"), ("溪", "xi"),
    ("口", "kou"), ("铺", "pu"), ("寨", "zhai"), ("桥", "qiao"),
]
SURNAMES = list("王李张刘陈杨黄赵周吴徐孙蒋唐邓胡何罗谢龙秦雷")
GIVEN = list("华军芳明强英平生兰福贵秀娟林勇文红清")
LAWS = [
    "《中华人民共和国政府信息公开条例》", "《社会救助暂行办法》", "《村民委员会组织法》",
    "《中华人民共和国乡村振兴促进法》", "《中华人民共和国预算法》", "《中华人民共和国安全生产法》",
    "《最低生活保障审核确认办法》", "《老年人权益保障法》",
]
TOPICS = [
    "低保动态管理", "特困供养", "临时救助", "高龄津贴发放", "耕地地力保护补贴", "农村危房改造", "人居环境整治",
    "防汛抗旱", "森林防火", "安全生产大检查", "控辍保学", "学生资助", "衔接资金项目", "村级财务公开",
    "集体经济发展", "宅基地管理", "城乡居民医保征缴", "养老保险参保", "退役军人优抚", "残疾人两项补贴",
    "农村饮水安全", "道路硬化", "政务公开标准化", "营商环境优化", "秸秆禁烧",
]
OPENERS = [
    "根据{law}和上级有关文件精神，结合我镇实际，现将{year}年{topic}有关事项通知如下：",
    "为进一步做好{topic}工作，切实保障群众合法权益，经镇党委、政府研究，现就有关事项明确如下：",
    "按照县委、县政府工作部署，{town}认真组织开展{topic}工作，现将有关情况公开如下：",
    "经本人申请、村（居）民委员会入户调查和民主评议、镇人民政府审核，现将{topic}有关情况予以公示：",
    "为规范{area}领域信息公开，方便群众查阅和监督，现将{topic}相关信息公布如下：",
]
SECTION_TITLES = [
    "工作目标", "主要任务", "实施步骤", "保障措施", "工作要求", "公示说明", "资金安排", "监督举报",
    "基本情况", "存在问题", "下一步工作", "适用范围", "办理流程", "责任分工",
]
SENTENCES = [
    "{year}年全镇共有{n}户纳入{topic}范围，累计发放资金{money}万元。",
    "各村（社区）要明确专人负责{topic}工作，做到底数清、情况明、措施实。",
    "镇社会事务办公室要加强对{topic}的日常监督，发现问题及时整改。",
    "公示期内，对公示内容有异议的，可向{town}人民政府或{village}村民委员会反映。",
    "严格落实{law}规定，公示内容不包含身份证号码、银行账号、联系电话和详细住址。",
    "项目总投资{money}万元，其中衔接资金{n}万元，村集体自筹资金已全部到位。",
    "对排查发现的{n}处隐患，已落实整改责任人和整改时限，实行销号管理。",
    "本次共审核申请{n}户，经入户调查和民主评议，符合条件的予以公示。",
    "各村（社区）要在村务公开栏同步公开{topic2}相关信息，公开时间不少于7日。",
    "镇纪委将{topic}纳入日常监督重点，严肃查处优亲厚友、虚报冒领等问题。",
    "请各单位于{year}年底前完成{topic}工作任务，并将工作总结报镇党政综合办公室。",
    "咨询和监督电话：0773-4800103（工作日 8:00-12:00，15:00-18:00）。",
    "资金通过惠民惠农财政补贴资金“一卡通”直接发放到户，任何单位和个人不得截留挪用。",
    "推进{topic2}与{topic}统筹衔接，形成工作合力。",
]
CLOSINGS = [
    "特此通知。", "特此公告。", "特此公示。", "本办法自发布之日起施行。", "{town}人民政府\n{year}年",
]
ON_REQUEST_REASONS = [
    "报告主要为工程量清单和造价审核技术资料，篇幅较大、专业性强，社会公众普遍关注度低；主要结论已主动公开，完整报告可依申请提供。",
    "该信息仅涉及特定村组群众切身利益，已在村务公开栏公开，其他申请人可依申请获取。",
    "合同文本涉及第三方经营信息，主要内容已主动公开，全文可依申请提供。",
]
WITHHELD = [
    ("《中华人民共和国政府信息公开条例》第十六条 过程性信息", "属于讨论记录和研究过程中的信息，尚未形成最终决定。"),
    ("《中华人民共和国政府信息公开条例》第十六条 内部事务信息", "属于本机关内部人事管理和后勤管理信息。"),
    ("《中华人民共和国政府信息公开条例》第十六条 行政执法案卷信息", "属于行政执法案卷材料，处理结果已按规定公开。"),
    ("《中华人民共和国政府信息公开条例》第十五条 个人隐私", "涉及个人健康状况和家庭经济状况，公开会对个人隐私造成损害。"),
]
CONSULTATION_TOPICS = [
    "村庄规划", "集镇环境综合整治实施方案", "农村生活垃圾收费办法", "农贸市场改造方案", "镇区停车管理办法",
    "小型水利设施管护办法", "乡村旅游发展规划",
]
