"""Word → PDF through LibreOffice headless, one private profile per conversion.

Each job gets its own ``-env:UserInstallation`` directory, so parallel conversions never share
(and lock) a profile, and a fontconfig file that maps the official font names (仿宋_GB2312, 黑体,
楷体, 方正小标宋) onto the CJK fonts Debian installs, so nothing renders as boxes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from jixiao.render.errors import RenderError

TIMEOUT_SECONDS = 180
SERIF = ("Noto Serif CJK SC", "AR PL UMing CN", "WenQuanYi Zen Hei")
SANS = ("Noto Sans CJK SC", "WenQuanYi Zen Hei")
KAI = ("AR PL UKai CN", "Noto Serif CJK SC")
ALIASES: dict[str, tuple[str, ...]] = {
    "方正小标宋简体": SERIF,
    "方正小标宋_GBK": SERIF,
    "小标宋": SERIF,
    "宋体": SERIF,
    "SimSun": SERIF,
    "仿宋_GB2312": SERIF,
    "仿宋": SERIF,
    "FangSong": SERIF,
    "黑体": SANS,
    "SimHei": SANS,
    "楷体_GB2312": KAI,
    "楷体": KAI,
    "KaiTi": KAI,
}


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


def fontconfig_file(directory: Path) -> Path:
    """Write a fontconfig file that includes the system one and aliases the official font names."""
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{f}</family>" for f in targets)
        + "</prefer></alias>"
        for name, targets in ALIASES.items()
    )
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{aliases}\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def docx_to_pdf(source: Path, out_dir: Path) -> Path:
    """Convert one ``.docx`` into ``out_dir``; returns the PDF path."""
    return docx_to_pdf_batch([source], out_dir)[0]


def docx_to_pdf_batch(sources: Sequence[Path], out_dir: Path) -> list[Path]:
    """Convert several ``.docx`` files in one LibreOffice run (much faster than one run each)."""
    if not sources:
        return []
    soffice = find_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as tmp:
        tmp_path = Path(tmp)
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(fontconfig_file(tmp_path))
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
