"""Target declarations (绩效目标申报表) read from documents: the three real system-export workbooks
(../shared/corpus/002–004, hand-checked sheet by sheet against openpyxl), the national layouts as
xlsx, docx, HTML and text, the project-library export 001.xls, and the layouts as data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao import api
from jixiao.declaration import BasisKind, Novelty, Period
from jixiao.ingest import ingest_any, summarize
from jixiao.ingest.extract.declaration import period_of, split_org_code
from jixiao.ingest.extract.declaration_layout import (
    LayoutError,
    layout_files,
    layouts,
    lexicon,
    parse_layout,
    reduce_label,
)
from jixiao.ingest.extract.declaration_targets import split_goals
from jixiao.loader import Loaded, LoadedDeclaration, load_declaration_file
from jixiao.model import Comparison, IndicatorType
from tests.ingest.declaration_forms import (
    CENTRAL_2020S,
    NATIONAL_2015,
    write_docx,
    write_html,
    write_text,
    write_xlsx,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/corpus")


def _shared(name: str) -> Path:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{name} not in the shared corpus")
    return path


_READ: dict[str, list[Loaded | LoadedDeclaration]] = {}


def _workbook(name: str) -> list[LoadedDeclaration]:
    if name not in _READ:
        _READ[name] = ingest_any(_shared(name))
    parts = _READ[name]
    assert all(isinstance(p, LoadedDeclaration) for p in parts)
    return [p for p in parts if isinstance(p, LoadedDeclaration)]


def _messages(loaded: LoadedDeclaration, code: str) -> list[str]:
    return [f.message for f in loaded.findings if f.code == code]


# ---------------------------------------------------------------- the real export workbooks


@pytest.mark.parametrize("name", ["002.xlsx", "003.xlsx", "004.xlsx"])
def test_export_workbook_reads_as_twenty_declarations(name: str) -> None:
    parts = _workbook(name)
    assert len(parts) == 20
    for p in parts:
        d = p.declaration
        assert d is not None and p.ok, p.findings
        assert d.kind == "declaration" and d.layout == "system-export"
        assert p.part is not None and p.part.split(".", 1)[1] == d.project.name
        assert d.project.code and d.project.code.startswith("4403062213903")
        assert d.project.department == "深圳市宝安区松岗街道办事处（本级）"
        assert d.period_years is not None and d.novelty is not None
        assert (
            d.funds.unit == "万元" and d.funds.annual_total is not None and d.funds.medium_total is not None
        )
        assert d.annual.goals and d.indicators()
        why = _messages(p, "ingest.kind")
        assert why and why[0].startswith(
            "按绩效目标申报表读取：标题“二级项目支出绩效目标申报表”，指标表有目标值、无得分列"
        )
        # every sheet's amounts are 元 under a 万元 label: found on each, kept as printed for the review
        assert _messages(p, "ingest.unit-slip"), p.part


def test_002_first_sheet_field_by_field() -> None:
    p = _workbook("002.xlsx")[0]
    d = p.declaration
    assert d is not None
    assert p.part == "1.地面坍塌防治工作经费"
    assert d.project.name == "地面坍塌防治工作经费"
    assert d.project.code == "440306221390300000044"
    assert d.project.unit == "深圳市宝安区松岗街道办事处（本级）"
    assert d.project.category == "03 专项资金项目"
    assert d.year is None  # no year printed on the sheet
    assert d.period_years == 3
    assert d.novelty is Novelty.continuing  # 是否新增项目：否
    assert d.allocation == "因素法"
    assert d.basis is not None and d.basis.startswith("项目背景：根据《深圳市地面坍塌防治方案》")
    assert d.funds.estimate is None  # 测算依据 printed empty
    # 项目总金额（中期规划，万元） 480000 and 本年度项目金额（万元） 160000: 元 under a 万元 label
    assert d.funds.medium_total == Decimal(480000) and d.funds.annual_total == Decimal(160000)
    assert d.funds.sources["medium_total"].text == "480000"
    assert d.funds.sources["annual_total"].text == "160000"
    assert d.funds.sources["unit"].text == "项目总金额（中期规划，万元）："
    slip = _messages(p, "ingest.unit-slip")
    assert any("160000标注为万元" in m and "即16万元" in m for m in slip)  # by the other sheets' evidence
    assert summarize(p)["budget"] == 16 and summarize(p)["medium_budget"] == 48
    assert d.annual.goals == [
        "业务考核：每季度组织一次全面摸排，重点检查地面坍塌易发区和主要市政道路、人行道，每年开展3场宣传、演练活动。",
        "财政考核：11月份完成支付比例100%。",
    ]
    assert d.medium is not None and d.medium.goals == d.annual.goals and d.medium.indicators == []
    assert [
        (i.level1, i.level2, i.name, i.target.text if i.target else None) for i in d.annual.indicators
    ] == [
        ("产出", "数量", "委托巡查", "全年，地面坍塌易发区、市政道路"),
        ("产出", "时效", "委托巡查", "11月份完成验收"),
        ("效益", "社会效益", "组织开展宣传、演练活动", "降低地面坍塌隐患事故率"),
    ]
    assert d.annual.indicators[0].explanation == "委托排查服务"
    assert d.exemptions == [
        "产出/质量：不适用",
        "产出/成本：不适用",
        "效益/经济效益：不适用",
        "效益/生态效益：不适用",
        "效益/可持续影响：不适用",
        "满意度/服务对象满意度：不适用",
        "满意度/其他满意度：不适用",
    ]


def test_003_first_sheet_shows_its_own_slip() -> None:
    p = _workbook("003.xlsx")[0]
    d = p.declaration
    assert d is not None
    assert d.project.name == "困难居民临时救助经费" and d.project.code == "440306221390300300024"
    assert d.period_years == 4 and d.allocation == "因素法和项目法"
    assert d.year == 2023  # 测算依据：2023年度申报预算包括1个支出事项
    assert d.funds.estimate is not None and d.funds.estimate.startswith("2023年度申报预算包括1个支出事项")
    assert (d.funds.medium_total, d.funds.annual_total) == (Decimal(280000), Decimal(60000))
    # the sheet's own 成本 target “≤6万元” shows 60000 is 元
    assert any("60000标注为万元，但文中另印为6万元" in m for m in _messages(p, "ingest.unit-slip"))
    assert d.basis is not None and d.basis.startswith("根据《社会救助暂行办法》")
    assert d.medium is not None and d.medium.goals == [
        "为进一步发挥社会救助托底线、救急难的作用，解决困难群众突发性、紧迫、临时性基本生活困难"
    ]
    rows = [(i.level2, i.name, i.target.text if i.target else None) for i in d.annual.indicators]
    assert rows == [
        ("数量", "发放救助补贴人数", "≥3人"),
        ("质量", "补贴发放准确性", "100%"),
        ("时效", "补贴发放及时性", "12月底前完成"),
        ("成本", "经费总成本", "≤6万元"),
        ("社会效益", "临时性保障基本生活", "得到保障"),
        ("服务对象满意度", "临时救助人员满意度", "≥98%"),
    ]
    assert d.annual.indicators[3].target is not None and d.annual.indicators[3].target.value == 6
    assert d.exemptions == [
        "效益/经济效益：不适用",
        "效益/生态效益：不适用",
        "效益/可持续影响：不适用",
        "满意度/其他满意度：不适用",
    ]


def test_004_second_sheet_numbered_goals() -> None:
    p = _workbook("004.xlsx")[1]
    d = p.declaration
    assert d is not None
    assert d.project.name == "全国文明城市创建工作经费"
    assert d.project.unit == "深圳市宝安区松岗街道党建服务中心"  # 申请单位, not the 一级预算单位
    assert d.project.department == "深圳市宝安区松岗街道办事处（本级）"
    assert d.period_years == 4
    assert (d.funds.medium_total, d.funds.annual_total) == (Decimal(900000), Decimal(300000))
    assert any("文中另印为30万元" in m for m in _messages(p, "ingest.unit-slip"))  # 总成本 ≤30万
    assert d.annual.goals == [
        "推动全民阅读、提升市民综合文明素质等方面出发，以赛促学，以学促做，展现全区中小学生奋发向上、阳光自信的精神风貌。",
        "每年有上千人参与，13个社区和10个花园小区参与活动，受益群众很多，影响力非常大。",
    ]
    names = [i.name for i in d.annual.indicators]
    assert names == [
        "学习强国活动场次",
        "新增注册学习强国账号",
        "开展活动及时性",
        "总成本",
        "弘扬社会主义核心价值观、宣传党的方针政策、丰富人民群众生活",
        "社会责任感与知识水平提高",
        "参与群众对活动满意度",
        "参与度",
    ]
    assert d.annual.indicators[3].target is not None and d.annual.indicators[3].target.text == "≤30万"
    assert d.exemptions == ["效益/经济效益：不适用", "效益/生态效益：不适用"]


def test_001_project_library_export_declaration_sheet() -> None:
    path = _shared("001.xls")
    parts = ingest_any(path)  # as a whole: evaluation and monitoring sheets beside the 申报表
    assert len(parts) == 1 and isinstance(parts[0], Loaded)
    read = api.ingest_declarations(path)
    assert len(read) == 1
    d = read[0].declaration
    assert d is not None
    assert any(
        "只读取其中的申报表工作表“项目支出绩效目标申报表”" in m for m in _messages(read[0], "ingest.kind")
    )
    assert d.project.name == "2019年210青少年校园足球扶持资金"
    assert (d.project.department, d.project.department_code, d.project.unit) == ("教育部", "105", "北京大学")
    assert d.year == 2020 and d.period_years == 1
    assert d.funds.annual_total == 0 and d.funds.medium_total == 0 and d.funds.carryover == 0
    assert d.indicators() == []  # the sheet's indicator rows are blank


# ---------------------------------------------------------------- the national layouts


WRITERS = {"xlsx": write_xlsx, "docx": write_docx, "html": write_html, "md": write_text}


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_national_2015_layout(fmt: str, tmp_path: Path) -> None:
    path = WRITERS[fmt](NATIONAL_2015, tmp_path / f"申报表.{fmt}")
    parts = ingest_any(path)
    assert len(parts) == 1 and isinstance(parts[0], LoadedDeclaration)
    p = parts[0]
    d = p.declaration
    assert d is not None and p.ok, p.findings
    assert _messages(p, "ingest.kind") == [
        "按绩效目标申报表读取：标题“项目支出绩效目标申报表”，指标表有目标值、无得分列（12项指标）"
    ]
    assert d.layout == "national" and d.year == 2024
    assert d.project.name == "城乡困难老人居家养老服务补贴"
    assert (d.project.department, d.project.department_code) == ("某市民政局", "123")
    assert d.project.unit == "某市社会福利服务中心"
    assert d.novelty is Novelty.continuing and d.period_years == 3
    assert d.project.period_start is not None and d.project.period_start.year == 2023
    assert d.project.period_end is not None and d.project.period_end.year == 2025
    f = d.funds
    assert (f.medium_total, f.medium_appropriation, f.medium_other) == tuple(map(Decimal, (900, 800, 100)))
    assert (f.annual_total, f.appropriation, f.other) == tuple(map(Decimal, (300, 260, 40)))
    assert d.medium is not None
    assert d.medium.goals == [
        "三年内为12000名困难老人提供居家养老服务。",
        "服务对象满意度保持在95%以上。",
    ]
    assert d.annual.goals == ["全年为4000名困难老人提供居家养老服务", "服务对象满意度不低于95%。"]
    assert [(i.name, i.target.text if i.target else None) for i in d.medium.indicators][:2] == [
        ("服务老人人数", "≥12000人"),
        ("服务合格率", "≥95%"),
    ]
    annual = [(i.level1, i.level2, i.name, i.target.text if i.target else None) for i in d.annual.indicators]
    assert annual[0] == ("产出指标", "数量指标", "服务老人人数", "≥4000人")
    assert annual[2] == ("产出指标", "时效指标", "补贴发放时间", "每月10日前")
    assert annual[-1] == ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥95%")
    assert len(d.medium.indicators) == len(d.annual.indicators) == 6
    assert d.exemptions == ["效益指标/经济效益指标：不适用"]


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_central_2020s_layout(fmt: str, tmp_path: Path) -> None:
    path = WRITERS[fmt](CENTRAL_2020S, tmp_path / f"目标表.{fmt}")
    p = ingest_any(path)[0]
    assert isinstance(p, LoadedDeclaration)
    d = p.declaration
    assert d is not None and p.ok, p.findings
    assert d.year == 2025 and d.project.name == "农村饮水安全巩固提升工程"
    assert (d.project.department, d.project.department_code) == ("某省水利厅", "318")
    assert d.novelty is Novelty.new and d.project.attribute == "one_off"  # 新增项目、一次性项目
    assert d.period_years == 2 and d.project.category == "基本建设类" and d.allocation == "项目法"
    assert d.basis == "《某省农村供水保障规划（2023—2027年）》"
    f = d.funds
    # 上年度预算安排 | 上年度实际执行 | 本年度申请 over the columns
    assert (f.last_budget, f.last_spent, f.annual_total, f.appropriation, f.other) == tuple(
        map(Decimal, (0, 0, 1200, 1000, 200))
    )
    assert d.medium is not None and d.medium.goals == [
        "新建集中供水工程3处",
        "改善3.5万农村人口饮水条件。",
    ]
    assert d.annual.goals == ["完成2处供水工程主体建设", "受益人口不少于2万人。"]
    first, quality, _, cost, people, satisfaction = d.annual.indicators
    assert first.target is not None and first.target.text == "2" and first.target.value == 2  # as printed
    assert first.target.comparison is Comparison.ge and first.target.unit == "处"  # from 性质, 度量单位
    assert summarize(p)["indicators"][0]["target"] == "≥2处"  # as one reads the row
    assert (
        first.comparison is Comparison.ge and first.unit == "处" and first.type is IndicatorType.quantitative
    )
    assert first.basis == "计划标准" and first.basis_kind is BasisKind.plan
    assert first.last_actual is not None and first.last_actual.text == "0"
    assert first.explanation == "当年完成主体建设的工程数"
    assert (
        quality.basis_kind is BasisKind.industry
        and quality.target is not None
        and quality.target.text == "95"
    )
    assert cost.comparison is Comparison.le and cost.basis_kind is BasisKind.budget
    assert people.last_actual is not None and people.last_actual.value == Decimal("1.5")
    assert satisfaction.basis_kind is BasisKind.history
    assert d.exemptions == ["效益指标/生态效益指标：不适用"]
    assert all(s.period in (Period.medium, Period.annual) for s in d.target_sets())


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["年度资金总额", "100"], ["其中：财政拨款", "60"], ["其他资金", "30"]], (None, 100, 60, 30)),
        (
            [
                ["项目资金（万元）", "资金来源", "本年度申请"],
                ["", "资金总额", "100"],
                ["", "财政拨款", "60"],
                ["", "其他资金", "30"],
            ],
            (None, 100, 60, 30),
        ),
        (
            [
                ["项目资金", "", "中期资金总额", "年度资金总额"],
                ["", "资金总额", "900", "300"],
                ["", "财政拨款", "800", "260"],
            ],
            (900, 300, 260, None),
        ),
    ],
    ids=["one-column", "stage-head", "span-heads"],
)
def test_funds_block_as_forms_print_it(
    rows: list[list[str]], expected: tuple[object, ...], tmp_path: Path
) -> None:
    head = [["项目支出绩效目标申报表"], ["项目名称", "某项目"], ["实施单位", "某单位"]]
    table = [["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "培训人数", "≥100人"]]
    p = ingest_any(write_xlsx(head + rows + table, tmp_path / "f.xlsx"))[0]
    assert isinstance(p, LoadedDeclaration) and p.declaration is not None
    f = p.declaration.funds
    assert (f.medium_total, f.annual_total, f.appropriation, f.other) == expected


def test_funds_labelled_yuan(tmp_path: Path) -> None:
    rows = [["项目支出绩效目标申报表"], ["项目名称", "某项目"], ["年度资金总额（元）", "300000"]]
    p = ingest_any(write_xlsx(rows, tmp_path / "f.xlsx"))[0]
    assert isinstance(p, LoadedDeclaration) and p.declaration is not None
    assert p.declaration.funds.unit == "元" and p.declaration.funds.annual_total == 300000
    assert summarize(p)["budget"] == 30


def test_an_evaluation_stays_an_evaluation(tmp_path: Path) -> None:
    rows = [
        ["项目支出绩效自评表"],
        ["（2023年度）"],
        ["项目名称", "某项目"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "培训人数", "≥100人", "120人", "10", "10"],
    ]
    path = write_xlsx(rows, tmp_path / "自评表.xlsx")
    parts = ingest_any(path)
    assert len(parts) == 1 and isinstance(parts[0], Loaded) and parts[0].evaluation is not None
    assert api.document_kind(path) == "evaluation"
    read = api.ingest_declarations(path)
    assert read[0].declaration is None and read[0].findings[0].code == "ingest.not-declaration"


def test_targets_without_a_title(tmp_path: Path) -> None:
    """A document with targets and nothing evaluated, beside a declaration's own labels."""
    rows = [
        ["某单位项目材料"],
        ["项目名称", "某项目"],
        ["是否新增项目", "是"],
        ["年度目标", "完成培训100人次"],
        ["一级指标", "二级指标", "三级指标", "目标值"],
        ["产出指标", "数量指标", "培训人数", "≥100人"],
    ]
    p = ingest_any(write_xlsx(rows, tmp_path / "材料.xlsx"))[0]
    assert isinstance(p, LoadedDeclaration) and p.declaration is not None
    assert p.declaration.novelty is Novelty.new
    assert _messages(p, "ingest.kind")[0].startswith("按绩效目标申报表读取：未见评价类标题，指标表有目标值")


# ---------------------------------------------------------------- front door and command line


def test_front_door(tmp_path: Path) -> None:
    path = _shared("002.xlsx")
    assert api.document_kind(path) == "declaration"
    read = api.ingest_declarations(path)
    assert len(read) == 20 and all(r.declaration is not None for r in read)
    assert isinstance(api.Declaration, type)


def test_ingest_command_writes_declaration_files(tmp_path: Path) -> None:
    from jixiao.cli import main

    source = write_xlsx(CENTRAL_2020S, tmp_path / "目标表.xlsx")
    for fmt in ("yaml", "json"):
        out = tmp_path / fmt
        result = CliRunner().invoke(main, ["ingest", str(source), "-o", str(out), "--format", fmt])
        assert result.exit_code == 0, result.output
        written = out / f"目标表.{fmt}"
        assert "kind: declaration" in written.read_text(encoding="utf-8") or fmt == "json"
        loaded = load_declaration_file(written)
        assert loaded.ok, loaded.findings
        original = ingest_any(source)[0]
        assert isinstance(original, LoadedDeclaration)
        assert loaded.declaration == original.declaration
    result = CliRunner().invoke(main, ["ingest", str(source), "--summary"])
    assert (
        result.exit_code == 0
        and '"kind": "declaration"' in result.output
        and '"budget": 1200' in result.output
    )


# ---------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    ("text", "goals"),
    [
        ("1.完成培训；2.受益人数100人。", ["完成培训", "受益人数100人。"]),
        ("（1）建设2处工程（2）受益2万人", ["建设2处工程", "受益2万人"]),
        ("一是新建工程3处，二是改善饮水条件。", ["新建工程3处", "改善饮水条件。"]),
        (
            "业务考核：每季度巡查一次。\n财政考核：11月份完成支付。",
            ["业务考核：每季度巡查一次。", "财政考核：11月份完成支付。"],
        ),
        ("目标1：完成建设。目标2：通过验收。", ["完成建设。", "通过验收。"]),
        ("1. 开展职业技能培训。\n2. 扶持创业。", ["开展职业技能培训。", "扶持创业。"]),
        ("保障各社区的常态化培训", ["保障各社区的常态化培训"]),
        ("  ", []),
    ],
)
def test_split_goals(text: str, goals: list[str]) -> None:
    assert split_goals(text) == goals


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("3", 3),
        ("3年", 3),
        ("1年", 1),
        ("2023-2025年", 3),
        ("2023年—2025年", 3),
        ("长期", None),
        ("2025-2023", None),
    ],
)
def test_period_of(text: str, years: int | None) -> None:
    assert period_of(text)[0] == years


def test_split_org_code() -> None:
    assert split_org_code("[105]教育部") == ("教育部", "105")
    assert split_org_code("某省水利厅（318）") == ("某省水利厅", "318")
    assert split_org_code("105 教育部") == ("教育部", "105")
    assert split_org_code("深圳市宝安区松岗街道办事处（本级）") == (
        "深圳市宝安区松岗街道办事处（本级）",
        None,
    )


def test_reduce_label() -> None:
    assert reduce_label("项目总金额（中期规划，万元）：") == ("项目总金额(中期规划)", "万元")
    assert reduce_label("其中：财政拨款") == ("财政拨款", None)
    assert reduce_label("项目资金（元）") == ("项目资金", "元")


# ---------------------------------------------------------------- layouts as data


def test_builtin_layouts_load() -> None:
    names = {lay.name for lay in layouts()}
    assert {"national", "system-export"} <= names
    assert all(f.suffix == ".yaml" for f in layout_files())


def test_bad_layout_is_refused() -> None:
    with pytest.raises(LayoutError, match="未知字段"):
        parse_layout({"name": "x", "labels": {"nonsense": ["项目"]}}, "bad.yaml")
    with pytest.raises(LayoutError, match="正则"):
        parse_layout({"name": "x", "labels": {"project": ["(项目"]}}, "bad.yaml")


def test_a_province_adds_its_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "province.yaml").write_text(
        "name: some-province\n"
        "title: 某省项目绩效目标填报表\n"
        "titles: [项目绩效目标填报表]\n"
        "labels:\n"
        "  unit: [项目承担单位]\n"
        "  annual_goals: [本年度绩效目标任务]\n"
        "funds:\n"
        "  labels:\n"
        "    annual_total: [当年申请资金]\n"
        "columns:\n"
        "  target: [目标任务值]\n",
        encoding="utf-8",
    )
    rows = [
        ["某省项目绩效目标填报表"],
        ["项目名称", "某项目"],
        ["项目承担单位", "某县卫健局"],
        ["当年申请资金（万元）", "50"],
        ["本年度绩效目标任务", "1.完成体检1000人次；2.满意度90%以上。"],
        ["一级指标", "二级指标", "三级指标", "目标任务值"],
        ["产出指标", "数量指标", "体检人次", "≥1000人次"],
    ]
    path = write_xlsx(rows, tmp_path / "填报表.xlsx")
    monkeypatch.setenv("JIXIAO_DECLARATION_LAYOUTS", str(tmp_path))
    for cached in (layouts, lexicon):
        cached.cache_clear()
    try:
        p = ingest_any(path)[0]
        assert isinstance(p, LoadedDeclaration) and p.declaration is not None
        d = p.declaration
        assert d.layout == "some-province" and d.project.unit == "某县卫健局"
        assert d.funds.annual_total == 50 and d.annual.goals == ["完成体检1000人次", "满意度90%以上。"]
        assert [i.name for i in d.annual.indicators] == ["体检人次"]
    finally:
        monkeypatch.delenv("JIXIAO_DECLARATION_LAYOUTS")
        for cached in (layouts, lexicon):
            cached.cache_clear()


def test_batch_rows_of_declarations() -> None:
    from jixiao.batch import ROW_FIELDS, process_document

    rows = process_document(str(_shared("004.xlsx")))
    assert len(rows) == 20
    for row in rows:
        assert set(row) <= {*ROW_FIELDS, "findings"}
        assert (row["status"], row["kind"], row["doc_kind"]) == ("ok", "declaration", "target")
        assert row["computed_grade"] in ("优", "良", "中", "差") and row["indicators"] > 0
        assert any(f["code"] == "ingest.kind" for f in row["findings"])


COMPILATION = """某某大学2023年部门预算
目录
五、项目绩效目标表 ............ 16
一、部门主要职责
某某大学主要承担本科生和研究生教育、科学研究和社会服务等职能，本年度预算按照量入为出原则编制。
| 收入项目 | 金额（万元） |
| 财政拨款收入 | 1000 |
| 事业收入 | 500 |
五、项目绩效目标表
项目甲绩效目标表
（2023年度）
| 项目名称 | 项目甲 | | |
| 主管部门及代码 | 教育部 105 | 实施单位 | 某某大学 |
| 项目资金（万元） | 年度资金总额： | 100 | |
| | 其中：财政拨款 | 100 | |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 培训人次 | ≥100人次 |
| 满意度指标 | 服务对象满意度指标 | 学员满意度 | ≥90% |
项目乙绩效目标表
（2023年度）
| 项目名称 | 项目乙 | | |
| 主管部门及代码 | 教育部 105 | 实施单位 | 某某大学 |
| 项目资金（万元） | 年度资金总额： | 50 | |
| | 其中：财政拨款 | 50 | |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
| 产出指标 | 数量指标 | 设备台数 | ≥5台 |
"""


def test_budget_compilation_of_target_forms(tmp_path: Path) -> None:
    """A 部门预算 annexing 项目绩效目标表: the publication's own part stays the budget (its table of
    contents naming 项目绩效目标表 is no title), each form is a declaration."""
    path = tmp_path / "部门预算.md"
    path.write_text(COMPILATION, encoding="utf-8")
    own, first, second = ingest_any(path)
    assert isinstance(own, Loaded) and summarize(own)["doc_kind"] == "budget"
    assert isinstance(first, LoadedDeclaration) and isinstance(second, LoadedDeclaration)
    assert first.declaration is not None and second.declaration is not None
    assert (first.declaration.project.name, first.declaration.funds.annual_total) == ("项目甲", Decimal(100))
    assert (second.declaration.project.name, second.declaration.funds.annual_total) == ("项目乙", Decimal(50))
    assert [i.name for i in second.declaration.indicators()] == ["设备台数"]
    assert "各项目绩效目标表的一部分" in _messages(second, "ingest.kind")[0]


def test_spending_details(tmp_path: Path) -> None:
    rows = [
        ["项目支出绩效目标申报表"],
        ["项目名称", "某项目"],
        ["年度资金总额", "30"],
        ["支出明细", "数量", "单价", "金额（万元）", "测算依据"],
        ["培训费", "100人", "0.2万元/人", "20", "按培训计划"],
        ["设备购置", "2台", "5万元/台", "10", ""],
        ["合计", "", "", "30", ""],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "培训人数", "≥100人"],
    ]
    p = ingest_any(write_xlsx(rows, tmp_path / "f.xlsx"))[0]
    assert isinstance(p, LoadedDeclaration) and p.declaration is not None
    details = [(i.label, i.amount, i.basis) for i in p.declaration.funds.details]
    assert details == [
        ("培训费", Decimal(20), "100人 × 0.2万元/人；按培训计划"),
        ("设备购置", Decimal(10), "2台 × 5万元/台"),
    ]
    assert [i.name for i in p.declaration.indicators()] == ["培训人数"]


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_jixiao_form_read_as_a_document(fmt: str, tmp_path: Path) -> None:
    """The 申报表 jixiao prints, read by the layouts like any published form (not by its hidden
    keys): the same declaration comes back, field by field."""
    example = Path(__file__).resolve().parents[2] / "examples" / "declarations" / "pension-2025-clean.yaml"
    if not example.exists():
        pytest.skip("example declaration absent")
    original = load_declaration_file(example).declaration
    assert original is not None
    path = tmp_path / f"申报表.{fmt}"
    api.render_declaration_to_file(original, "declaration", fmt, path)  # type: ignore[arg-type]
    p = ingest_any(path)[0]
    assert isinstance(p, LoadedDeclaration) and p.declaration is not None
    d = p.declaration
    assert (d.project.name, d.project.unit, d.project.department) == (
        original.project.name,
        original.project.unit,
        original.project.department,
    )
    assert (d.year, d.period_years, d.novelty) == (original.year, original.period_years, original.novelty)
    assert d.funds.annual_total == original.funds.annual_total
    assert d.funds.estimate == original.funds.estimate
    assert d.annual.goals == original.annual.goals
    assert d.medium is not None and original.medium is not None and d.medium.goals == original.medium.goals

    def rows(x: object) -> list[tuple[object, ...]]:
        assert isinstance(x, type(original))
        return [
            (s.period, i.level1, i.level2, i.name, i.target.text if i.target else None, i.comparison)
            for s in x.target_sets()
            for i in s.indicators
            if i.name != "不适用"
        ]

    assert rows(d) == rows(original)
