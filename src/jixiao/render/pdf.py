"""Word → PDF through LibreOffice headless, one private profile per conversion, with official fonts.

Each job gets its own ``-env:UserInstallation`` directory, so parallel conversions never share
(and lock) a profile, and a fontconfig file that maps each official font name the documents use
(方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体) onto an installed face:

1. the official face itself when it is installed (a bureau's machine with the Windows or 方正 fonts);
2. else a free face of the same style (宋 / 仿宋 / 黑 / 楷) — on Debian, from
   ``scripts/install-system-deps.sh``: Noto Serif CJK SC (宋), Noto Sans CJK SC (黑),
   LXGW WenKai (楷), all SIL OFL 1.1, which allows embedding in documents;
3. else a face of a neighbouring style (Debian packages no Simplified-Chinese 仿宋: 仿宋 prints in 宋体).

Every substitution is said, never silent: ``font_warnings()`` returns the Chinese messages
(callers show them next to the PDF) and each conversion logs them on the ``jixiao.render.pdf``
logger.  LibreOffice embeds (subsets of) the faces it uses, so the PDF prints the same anywhere.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from jixiao.render import listener
from jixiao.render.errors import RenderError
from jixiao.render.typography import FOOTER, STYLE_FACES

logger = logging.getLogger(__name__)
_logged: set[str] = set()

TIMEOUT_SECONDS = 180
FC_TIMEOUT_SECONDS = 30

Style = Literal["song", "fangsong", "hei", "kai"]
STYLE_NAMES: dict[Style, str] = {"song": "宋体", "fangsong": "仿宋", "hei": "黑体", "kai": "楷体"}

# The official faces of each style (Windows, 华文, 方正), best first; a document may ask for any.
OFFICIAL_FAMILIES: dict[Style, tuple[str, ...]] = {
    "song": ("宋体", "SimSun", "新宋体", "NSimSun", "华文宋体", "STSong", "方正书宋_GBK"),
    "fangsong": (
        "仿宋_GB2312",
        "FangSong_GB2312",
        "仿宋",
        "FangSong",
        "华文仿宋",
        "STFangsong",
        "方正仿宋_GBK",
        "方正仿宋简体",
    ),
    "hei": ("黑体", "SimHei", "华文黑体", "STHeiti", "方正黑体_GBK", "方正黑体简体"),
    "kai": (
        "楷体_GB2312",
        "KaiTi_GB2312",
        "楷体",
        "KaiTi",
        "华文楷体",
        "STKaiti",
        "方正楷体_GBK",
        "方正楷体简体",
    ),
}
# Free faces of each style, best first.  Debian packages no Simplified-Chinese 仿宋 (cwTeX 仿宋體,
# fonts-cwtex-fs, covers Big5 only: a third of the characters of a report would be missing).
FREE_FAMILIES: dict[Style, tuple[str, ...]] = {
    "song": ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN"),
    "fangsong": (),
    "hei": ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei"),
    "kai": ("LXGW WenKai", "AR PL UKai CN", "AR PL KaitiM GB"),
}
STYLE_FAMILIES = {style: OFFICIAL_FAMILIES[style] + FREE_FAMILIES[style] for style in OFFICIAL_FAMILIES}
# When no face of a style is installed, the style that stands in for it.
NEIGHBOUR: dict[Style, Style] = {"fangsong": "song", "kai": "song", "song": "fangsong", "hei": "song"}

# Official font names a document may ask for → (style, heavy).  小标宋 is a heavy 宋: its
# substitute is set in bold.
OFFICIAL: dict[str, tuple[Style, bool]] = {
    "方正小标宋简体": ("song", True),
    "方正小标宋_GBK": ("song", True),
    "小标宋": ("song", True),
    **{name: (style, False) for style, names in OFFICIAL_FAMILIES.items() for name in names},
}


@dataclass(frozen=True)
class FontChoice:
    """How one official font name prints: the installed family used and how close it is."""

    requested: str
    style: Style
    family: str | None  # None: no Chinese face at all
    closeness: Literal["exact", "same-style", "other-style", "any", "none"]
    bold: bool = False  # the substitute is set bold (小标宋)

    def warning(self) -> str | None:
        """A Chinese message when the official face is not the one used; None when it is."""
        wanted = STYLE_NAMES[self.style]
        if self.closeness == "exact":
            return None
        if self.closeness == "same-style":
            return f"未安装字体“{self.requested}”，PDF 中以同类{wanted}字体“{self.family}”代替。"
        if self.closeness == "none":
            return (
                f"未安装任何中文字体，PDF 中“{self.requested}”的文字可能显示为方框。"
                "请运行 scripts/install-system-deps.sh 安装字体。"
            )
        return (
            f"未安装{wanted}类字体（“{self.requested}”），PDF 中以“{self.family}”代替，"
            f"字形与公文要求的{wanted}不同；如需{wanted}，请在本机安装“{self.requested}”字体。"
        )


def document_fonts() -> tuple[str, ...]:
    """The official font names the generated documents ask for (from ``typography``)."""
    return tuple(dict.fromkeys(face.east_asia for face in (*STYLE_FACES.values(), FOOTER)))


@cache
def installed_families() -> frozenset[str]:
    """Every font family name fontconfig knows (localized names included); empty when unknown."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    try:
        result = subprocess.run(
            [fc_list, "--format", "%{family}\n"],
            capture_output=True,
            timeout=FC_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    names = result.stdout.decode("utf-8", "replace").replace("\\-", "-")
    return frozenset(n.strip() for line in names.splitlines() for n in line.split(",") if n.strip())


@cache
def chinese_families() -> tuple[str, ...]:
    """Families that cover Simplified Chinese (a last resort), sorted for a stable choice."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        result = subprocess.run(
            [fc_list, "--format", "%{family[0]}\n", ":lang=zh-cn"],
            capture_output=True,
            timeout=FC_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return tuple(
        sorted({n.strip() for n in result.stdout.decode("utf-8", "replace").splitlines() if n.strip()})
    )


def choose(requested: str, installed: frozenset[str], chinese: Sequence[str] = ()) -> FontChoice:
    """The installed face that prints ``requested`` (an official name), and how close it is."""
    style, heavy = OFFICIAL.get(requested, ("song", False))
    if requested in installed:
        return FontChoice(requested, style, requested, "exact")
    same = next((f for f in STYLE_FAMILIES[style] if f in installed), None)
    if same is not None:
        return FontChoice(requested, style, same, "same-style", bold=heavy)
    other = next((f for f in STYLE_FAMILIES[NEIGHBOUR[style]] if f in installed), None)
    if other is not None:
        return FontChoice(requested, style, other, "other-style", bold=heavy)
    if chinese:
        return FontChoice(requested, style, chinese[0], "any", bold=heavy)
    return FontChoice(requested, style, None, "none")


def font_plan(names: Sequence[str] | None = None) -> list[FontChoice]:
    """How each official font name (by default: those the documents use) prints on this machine."""
    installed = installed_families()
    chinese = chinese_families()
    return [choose(name, installed, chinese) for name in (names or document_fonts())]


def font_warnings() -> list[str]:
    """Chinese messages for every official face of the documents that the PDF prints in a substitute.

    Empty when every official font is installed.  The CLI and the web app show these next to a PDF.
    """
    return [w for w in (c.warning() for c in font_plan()) if w]


def find_soffice() -> str:
    """The LibreOffice binary, or a RenderError that says how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise RenderError(
        "未找到 LibreOffice（soffice），无法生成 PDF。请运行 scripts/install-system-deps.sh 安装，"
        "或先输出 docx 后自行转换。"
    )


def _fallback_chain(choice: FontChoice, installed: frozenset[str]) -> list[str]:
    """The chosen family, then the other installed faces of its style and the neighbour's (for rare glyphs)."""
    chain = [choice.family] if choice.family else []
    for style in (choice.style, NEIGHBOUR[choice.style]):
        chain += [f for f in STYLE_FAMILIES[style] if f in installed and f not in chain]
    return chain


def fontconfig_file(directory: Path, plan: Sequence[FontChoice] | None = None) -> Path:
    """Write a fontconfig file that includes the system one and maps the official names to the plan.

    Every official name (not only those the documents use: users' templates ask for others) is
    mapped.  A name whose face is installed keeps it (it comes first); a heavy face's substitute
    (小标宋) is set bold.
    """
    installed = installed_families()
    chinese = chinese_families()
    choices = {c.requested: c for c in (plan or [])}
    rules: list[str] = []
    for name in OFFICIAL:
        choice = choices.get(name) or choose(name, installed, chinese)
        chain = _fallback_chain(choice, installed)
        if not chain:
            continue
        rules.append(
            f'  <alias binding="same"><family>{escape(name)}</family><prefer>'
            + "".join(f"<family>{escape(f)}</family>" for f in chain)
            + "</prefer></alias>"
        )
        if choice.bold:
            rules.append(
                f'  <match target="pattern"><test name="family"><string>{escape(name)}</string></test>'
                '<edit name="weight" mode="assign"><const>bold</const></edit></match>'
            )
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        + "\n".join(rules)
        + "\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def docx_to_pdf(source: Path, out_dir: Path, *, reuse: bool = True) -> Path:
    """Convert one ``.docx`` into ``out_dir``; returns the PDF path (see ``docx_to_pdf_batch``)."""
    return docx_to_pdf_batch([source], out_dir, reuse=reuse)[0]


def docx_to_pdf_batch(sources: Sequence[Path], out_dir: Path, *, reuse: bool = True) -> list[Path]:
    """Convert ``.docx`` files into ``out_dir``, by the process's long-lived LibreOffice when it can.

    With ``reuse`` (the default) the documents go to the LibreOffice listener of this process
    (``jixiao.render.listener``: started on first use, kept for later calls); when it cannot be
    used, or with ``reuse=False``, one LibreOffice run converts the whole batch (``soffice
    --convert-to``, a private profile each run).  Font substitutions (``font_warnings()``) are
    logged as warnings on ``jixiao.render.pdf``.
    """
    if not sources:
        return []
    soffice = find_soffice()
    plan = font_plan()
    for choice in plan:
        message = choice.warning()
        if message and message not in _logged:  # once per process: a batch would repeat them
            _logged.add(message)
            logger.warning(message)
    out_dir.mkdir(parents=True, exist_ok=True)
    if reuse:
        outputs = listener.converter().convert(
            soffice, sources, out_dir, lambda directory: fontconfig_file(directory, plan), TIMEOUT_SECONDS
        )
        if outputs is not None and all(p.exists() for p in outputs):
            return outputs
    return _convert_once(soffice, sources, out_dir, plan)


def _convert_once(
    soffice: str, sources: Sequence[Path], out_dir: Path, plan: Sequence[FontChoice]
) -> list[Path]:
    """One LibreOffice run, started for these documents and ended after them."""
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as tmp:
        tmp_path = Path(tmp)
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(fontconfig_file(tmp_path, plan))
        env["HOME"] = str(tmp_path)  # LibreOffice writes there; keep the user's home clean
        command = [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out_dir),
            *(str(s) for s in sources),
        ]
        try:
            result = subprocess.run(
                command, env=env, capture_output=True, timeout=TIMEOUT_SECONDS * len(sources), check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise RenderError(f"LibreOffice 转换 PDF 超时（{exc.timeout:.0f} 秒）") from exc
        except OSError as exc:
            raise RenderError(f"无法启动 LibreOffice：{exc}") from exc
    outputs = [out_dir / (Path(s).stem + ".pdf") for s in sources]
    missing = [p.name for p in outputs if not p.exists()]
    if missing:
        detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()[-300:]
        raise RenderError(f"LibreOffice 未能生成 PDF：{'、'.join(missing)}（{detail or '无输出'}）")
    return outputs
