"""Label → value pairs wherever a form prints them: adjacent cells, ``标签：值`` text, one per line.

A label is recognised by its whole (reduced) text, so ``项目名称`` matches but a sentence that
mentions 项目名称 does not.  Every value keeps its source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.ingest.document import Paragraph
from jixiao.ingest.extract.context import Context, cell_number, clean, label_key
from jixiao.ingest.extract.lexicon import first_of
from jixiao.model import Source

LABELS: dict[str, str] = {
    "project": r"项目名称|项目全称|项目名|转移支付(?:[（(]区域[)）])?名称|转移支付项目|专项资金名称|资金名称",
    "project_code": r"项目编码|项目代码|项目编号",
    "kind": r"评价类型|评价类别|评价方式",
    "year": r"评价年度|预算年度|项目年度|所属年度|年度",
    "commissioner": r"委托(?:评价)?单位|委托方|委托机构",
    "evaluator": r"(?:第三方)?评价机构(?:名称)?|第三方(?:评价)?机构(?:名称)?|受托(?:评价)?(?:单位|机构)",
    "unit": r"(?:(?:项目)?实施单位|评价对象(?:名称)?|项目单位|预算单位|填报单位|申请单位|申报单位|单位名称|资金使用单位)(?:[（(](?:盖章|公章)[)）])?",
    "department": r"(?:预算|地方|省级|市级|县级)?主管部门(?:及代码)?|主管单位|发文机构|发布机构|主管部门名称",
    "department_code": r"主管部门代码|部门代码|部门编码",
    "attribute": r"项目属性|项目性质",
    "period": r"项目期|项目周期|实施期限?|项目起止时间|项目实施期",
    "total": r"评价得分|综合得分|总得分|总分|自评得分|自评总分|最终得分|得分合计|综合评分|评价总分",
    "grade": r"评价等级|评价结果等次|评价结果等级|等级|等次|自评等级|评价结果|绩效等级|评定等级",
    "execution_rate": r"预算执行率|资金执行率|执行率",
    "arrival_rate": r"资金到位率|到位率",
    "filled": r"填报日期|填表日期|成文日期|报告日期|评价日期",
    "basis": r"评价依据|政策依据|绩效评价依据",
    "purpose": r"(?:绩效)?评价目的。?",
    "methods": r"评价方法|绩效评价方法|评价方法及标准",
    "process": r"(?:绩效)?评价工作过程|工作过程|评价过程|工作安排|评价工作安排",
    "overall": r"总体目标|项目总目标|年度总体目标|长期目标",
    "annual": r"(?:项目)?年度(?:绩效)?目标|预期目标|绩效目标",
    "achieved": r"实际完成情况|目标完成情况|主要绩效|完成情况|项目实施情况",
    "responsible": r"负责人|项目负责人|单位负责人",
    "handler": r"经办人|填表人|联系人",
    "problems": r"存在(?:的)?问题(?:及原因分析)?|主要问题|问题及原因",
    "suggestions": r"(?:相关|有关|改进)?建议(?:和改进措施|及改进措施)?|改进措施",
    "index_no": r"索引号",
    "estimate": r"(?:预算|资金)?测算(?:依据|过程|说明|明细)|资金测算|预算编制依据",
}
_WHICH = first_of([(k, re.compile(rf"(?:{v})")) for k, v in LABELS.items()])


def which_label(text: str) -> str | None:
    """The label key a cell text is, or None."""
    key = label_key(text)
    if not key or len(key) > 16:
        return None
    m = _WHICH.fullmatch(key)
    return m.lastgroup if m else None


# Words that head a column of a list table (项目名称 | 金额 | 备注): the cell after a label is
# another heading, not its value.
_COLUMN_WORD = re.compile(
    r"(?:预算)?金额|资金|备注|说明|序号|编号|单位|数量|类型|类别|内容|时间|日期|预算数|合计|小计|用途|级次|"
    r"科目.*|功能科目|经济科目|支出类型|项目类型|项目单位|金额合计|资金来源|资金性质|执行数|决算数|年初预算数"
)


def heads_a_column(text: str) -> bool:
    """True when a cell is a column heading of a list table rather than a value."""
    from jixiao.ingest.extract.lexicon import column_role, stage_of

    key = label_key(text)
    return bool(_COLUMN_WORD.fullmatch(key)) or column_role(key) is not None or stage_of(key) is not None


@dataclass
class Value:
    """A labelled value with its source."""

    label: str
    text: str
    source: Source


_INLINE = re.compile(r"^\s*([^:：\s]{2,16})\s*[:：]\s*(.*)$")
_STOP_INLINE = re.compile(r"^\s*([^:：。\s]{2,10})\s*。\s*(.+)$")


def collect(ctx: Context) -> dict[str, list[Value]]:
    """Every labelled value of the document, by label key, in document order."""
    out: dict[str, list[Value]] = {}

    def add(name: str, text: str, source: Source) -> None:
        text = clean(text)
        if text and which_label(text) is None:
            out.setdefault(name, []).append(Value(name, text, source.model_copy(update={"text": text})))

    for table, r, cells in ctx.rows():
        for c, cell in enumerate(cells):
            if not cell:
                continue
            name = which_label(cell)
            if name is not None:
                nxt = next(((j, v) for j, v in enumerate(cells[c + 1 :], start=c + 1) if v), None)
                if nxt is not None and which_label(nxt[1]) is None and not heads_a_column(nxt[1]):
                    add(name, nxt[1], ctx.cell(table, r, nxt[0]))
                continue
            m = _INLINE.match(cell)
            if m and (name := which_label(m.group(1))) is not None:
                value = m.group(2).strip()
                if not value:
                    nxt = next(((j, v) for j, v in enumerate(cells[c + 1 :], start=c + 1) if v), None)
                    if nxt is not None and which_label(nxt[1]) is None and not _INLINE.match(nxt[1]):
                        add(name, nxt[1], ctx.cell(table, r, nxt[0]))
                else:
                    add(name, value, ctx.cell(table, r, c))
    paras = ctx.doc.paragraphs
    for i, para in enumerate(paras):
        text = clean(para.text)
        parts = [x for x in re.split(r"[；;]", text) if x.strip()]
        if (
            len(parts) >= 2
            and sum(1 for x in parts if (im := _INLINE.match(x)) and which_label(im.group(1))) >= 2
        ):
            for x in parts:  # 项目名称：X；实施单位：Y；评价类型：Z
                im = _INLINE.match(x)
                if im and (part_name := which_label(im.group(1))) is not None and im.group(2).strip():
                    add(part_name, im.group(2).rstrip("。"), ctx.para(para))
            continue
        m = _INLINE.match(text) or _STOP_INLINE.match(text)
        if m and (name := which_label(m.group(1))) is not None and m.group(2).strip():
            add(name, m.group(2), ctx.para(para))
            continue
        name = which_label(text)
        if name is not None and i + 1 < len(paras) and which_label(paras[i + 1].text) is None:
            following = paras[i + 1]
            after = paras[i + 2] if i + 2 < len(paras) else None
            if (
                name == "total"
                and cell_number(following.text) == 100
                and after is not None
                and cell_number(after.text) is not None
            ):
                following = after  # 总分 / 100 (the full mark) / 97.82 (the score)
            if not _INLINE.match(clean(following.text)) or name in ("problems", "suggestions"):
                add(name, following.text, ctx.para(following))
            continue
        _space_separated(" ".join(para.text.split()), para, ctx, add)
    return out


def _space_separated(text: str, para: Paragraph, ctx: Context, add: object) -> None:
    """``项目名称 X 主管部门 Y``: a flattened row of label/value runs."""
    tokens = text.split(" ")
    if len(tokens) < 2:
        return
    labels = [i for i, t in enumerate(tokens) if which_label(t) is not None]
    if len(labels) < 2 and not (labels == [0] and len(tokens) <= 6):
        return
    for k, i in enumerate(labels):
        end = labels[k + 1] if k + 1 < len(labels) else len(tokens)
        value = "".join(tokens[i + 1 : end]) if end - i > 1 else ""
        name = which_label(tokens[i])
        if value and name is not None and callable(add):
            add(name, value, ctx.para(para))


def first(values: dict[str, list[Value]], name: str) -> Value | None:
    """The first value printed for a label."""
    found = values.get(name)
    return found[0] if found else None
