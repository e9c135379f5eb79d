"""One PDF page as pdfplumber's algorithms expect it, read with PDFium (pypdfium2).

pdfplumber finds ruled tables (``TableFinder``) and clusters characters into lines
(``chars_to_textmap``) well, but builds its characters and rulings with pdfminer, which
interprets every page's content stream in Python: about nine tenths of the reading time.
PDFium parses the same page in C.  This module asks PDFium for each character's box and for
each painted path, and hands them to pdfplumber's algorithms in the shapes pdfminer would have
given (coordinates from the top of the page, paths split into lines, rectangles and curves the
way pdfminer splits them), so tables and lines come out as before at a fraction of the cost.
"""

from __future__ import annotations

import ctypes
import math
import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.utils.geometry import curve_to_edges, line_to_edge, rect_to_edges
from pdfplumber.utils.text import chars_to_textmap, extract_text
from pypdfium2 import PdfiumError

__all__ = ["PASSWORD_ERROR", "PDFIUM_LOCK", "PageObjects", "PdfiumError", "open_document", "read_page"]

# PDFium is not thread-safe, not even across documents: one caller at a time in a process (this
# module's ctypes buffers are shared too).  Batches and uploads read in separate processes.
PDFIUM_LOCK = threading.Lock()
PASSWORD_ERROR = raw.FPDF_ERR_PASSWORD  # PdfiumError.err_code of a document that needs a password

Obj = dict[str, Any]
Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]

_LINE_BREAKS = frozenset("\r\n")
_TABLE_SETTINGS = TableSettings.resolve(None)
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_FORM_DEPTH = 4
# the linear part of pdfminer's page matrix for each /Rotate (none for an unrotated page)
_TURNS: dict[int, tuple[float, float, float, float]] = {
    90: (0.0, -1.0, 1.0, 0.0),
    180: (-1.0, 0.0, 0.0, -1.0),
    270: (0.0, 1.0, -1.0, 0.0),
}  # form XObjects inside form XObjects: deep enough for office exports


@dataclass
class PageObjects:
    """What a page paints: characters and path pieces, in pdfplumber's coordinates."""

    width: float
    height: float
    chars: list[Obj] = field(default_factory=list)
    lines: list[Obj] = field(default_factory=list)
    rects: list[Obj] = field(default_factory=list)
    curves: list[Obj] = field(default_factory=list)
    images: int = 0
    _by_height: tuple[list[float], list[tuple[float, float, int, Obj]]] | None = None

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """The page box (x0, top, x1, bottom)."""
        return (0.0, 0.0, self.width, self.height)

    @property
    def edges(self) -> list[Obj]:
        """Ruling edges as pdfplumber derives them from lines, rectangles and curves."""
        out = [line_to_edge(line) for line in self.lines]
        for rect in self.rects:
            out.extend(rect_to_edges(rect))
        for curve in self.curves:
            out.extend(curve_to_edges(curve))
        return out

    def find_tables(self) -> list[Any]:
        """Ruled tables (pdfplumber's default ``lines`` strategy); each has ``bbox`` and ``extract()``."""
        if not (self.lines or self.rects or self.curves):
            return []  # the lines strategy finds nothing without rulings
        finder: Any = TableFinder
        return list(finder(self, _TABLE_SETTINGS).tables)

    def extract(self, table: Any) -> list[list[str | None]]:
        """A found table's cell texts, as pdfplumber's ``Table.extract()`` gives them, with each row's
        characters taken from the page's characters ordered by height instead of scanning them all."""
        if self._by_height is None:
            mids = sorted(
                ((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, k, c)
                for k, c in enumerate(self.chars)
            )
            self._by_height = ([m[0] for m in mids], mids)
        heights, mids = self._by_height
        out: list[list[str | None]] = []
        for row in table.rows:
            x0, top, x1, bottom = row.bbox
            found = mids[bisect_left(heights, top) : bisect_left(heights, bottom)]
            in_row = sorted((m for m in found if x0 <= m[1] < x1), key=itemgetter(2))  # page order
            cells: list[str | None] = []
            for cell in row.cells:
                if cell is None:
                    cells.append(None)
                    continue
                cx0, ctop, cx1, cbottom = cell
                chars = [m[3] for m in in_row if cx0 <= m[1] < cx1 and ctop <= m[0] < cbottom]
                cells.append(extract_text(chars) if chars else "")
            out.append(cells)
        return out

    def text_lines(self) -> list[Obj]:
        """Lines of text with ``text``, ``x0``, ``x1``, ``top`` and ``bottom`` (as ``extract_text_lines``)."""
        if not self.chars:
            return []
        textmap = chars_to_textmap(
            self.chars, layout_bbox=self.bbox, layout_width=self.width, layout_height=self.height
        )
        lines: list[Obj] = textmap.extract_text_lines(strip=True, return_chars=False)
        return lines


class _Transform:
    """Page space (PDF user space, y up, before /Rotate) → pdfplumber's space (y down, rotated)."""

    def __init__(self, page: Any) -> None:
        x0, y0, x1, y1 = page.get_mediabox()
        self.rotation = page.get_rotation() % 360
        self.box = (x0, y0, x1, y1)
        self.turn = _TURNS.get(self.rotation)
        if self.rotation in (90, 270):
            self.width, self.height = y1 - y0, x1 - x0
        else:
            self.width, self.height = x1 - x0, y1 - y0

        # pdfminer's page matrix for the rotation, then pdfplumber's flip (top = height - y)
        h = self.height
        self.matrix: Matrix = {
            90: (0.0, 1.0, 1.0, 0.0, -y0, h - x1),
            180: (-1.0, 0.0, 0.0, 1.0, x1, h - y1),
            270: (0.0, -1.0, -1.0, 0.0, y1, h + x0),
        }.get(self.rotation, (1.0, 0.0, 0.0, -1.0, -x0, h + y0))


def read_page(document: Any, index: int) -> PageObjects:
    """Characters, rulings and image count of one page (PDFium objects closed before returning)."""
    page = document[index]
    try:
        tf = _Transform(page)
        out = PageObjects(width=tf.width, height=tf.height)
        textpage = page.get_textpage()
        try:
            out.chars = _chars(textpage, tf)
        finally:
            textpage.close()
        _walk(page.raw, tf, out, tf.matrix)
        return out
    finally:
        page.close()


# FPDFText_GetTextObject returning the address itself: characters are grouped by their text
# object without a pointer object and a cast per character
_TEXT_OBJECT_ADDRESS = ctypes.CFUNCTYPE(ctypes.c_void_p, raw.FPDF_TEXTPAGE, ctypes.c_int)(
    ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value or 0
)


@dataclass
class _Style:
    """What the characters of one text object share: pdfminer's upright test, the em in page
    units, the character's up direction and the font's descent below the baseline."""

    upright: bool
    size: float
    up: Point
    low: float


def _style(tp: Any, i: int, turn: tuple[float, float, float, float] | None) -> _Style | None:
    m = raw.FS_MATRIX()
    if not raw.FPDFText_GetMatrix(tp, i, ctypes.byref(m)):
        return None
    a, b, c, d = m.a, m.b, m.c, m.d
    scale = math.hypot(c, d)
    size = raw.FPDFText_GetFontSize(tp, i) * scale
    if turn is not None:  # the page's /Rotate, as pdfminer puts it into the page matrix
        ta, tb, tc, td = turn
        a, b, c, d = a * ta + b * tc, a * tb + b * td, c * ta + d * tc, c * tb + d * td
    upright = a * d > 0 and b * c <= 0  # pdfminer's test
    if not (upright and size > 0):
        return _Style(upright, size, (0.0, 0.0), 0.0)
    descent = _descent(raw.FPDFText_GetTextObject(tp, i))
    return _Style(True, size, (m.c / scale, m.d / scale), descent * size)


def _chars(textpage: Any, tf: _Transform) -> list[Obj]:
    tp = textpage.raw
    count = raw.FPDFText_CountChars(tp)
    if count <= 0:
        return []
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP: one code point per character index
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(count))
    rect = raw.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    ox_ref, oy_ref = ctypes.byref(ox), ctypes.byref(oy)
    turn = tf.turn
    pa, pb, pc, pd, pe, pf = tf.matrix
    loose, origin, generated = (
        raw.FPDFText_GetLooseCharBox,
        raw.FPDFText_GetCharOrigin,
        raw.FPDFText_IsGenerated,
    )
    styles: dict[int | None, _Style | None] = {}
    chars: list[Obj] = []
    for i, ch in enumerate(text):
        if ch in _LINE_BREAKS or (ch == " " and generated(tp, i) == 1):
            continue
        key = _TEXT_OBJECT_ADDRESS(tp, i)
        if key in styles:
            style = styles[key]
        else:
            style = styles[key] = _style(tp, i, turn)
        if style is None or not loose(tp, i, rect_ref):
            continue
        ax, ay = pa * rect.left + pc * rect.bottom + pe, pb * rect.left + pd * rect.bottom + pf
        bx, by = pa * rect.right + pc * rect.top + pe, pb * rect.right + pd * rect.top + pf
        x0, x1 = (ax, bx) if ax <= bx else (bx, ax)
        top, bottom = (ay, by) if ay <= by else (by, ay)
        if style.upright and style.size > 0 and origin(tp, i, ox_ref, oy_ref):
            # pdfminer's box: from the font's descent up one em, along the character's up direction
            (ux, uy), low, size = style.up, style.low, style.size
            x, y = ox.value, oy.value
            top = pb * (x + ux * (low + size)) + pd * (y + uy * (low + size)) + pf
            bottom = pb * (x + ux * low) + pd * (y + uy * low) + pf
        chars.append(
            {
                "object_type": "char",
                "text": ch,
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "width": x1 - x0,
                "height": bottom - top,
                "size": style.size,
                "upright": style.upright,
            }
        )
    return chars


def _descent(textobj: Any) -> float:
    """The font's descent as a fraction of the em (negative below the baseline; 0 when unknown)."""
    font = raw.FPDFTextObj_GetFont(textobj)
    value = ctypes.c_float()
    if not font or not raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(value)):
        return 0.0
    return float(value.value)


def _walk(
    container: Any, tf: _Transform, out: PageObjects, outer: Matrix, form: Any = None, depth: int = 0
) -> None:
    """Every painted path and image of a page or form XObject (forms followed a few levels deep);
    ``outer`` maps the form's space to the page's."""
    if form is None:
        n = raw.FPDFPage_CountObjects(container)
        get = raw.FPDFPage_GetObject
    else:
        n = raw.FPDFFormObj_CountObjects(form)
        get = raw.FPDFFormObj_GetObject
    owner = container if form is None else form
    for k in range(n):
        obj = get(owner, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            _path(obj, tf, out, outer)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            out.images += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < _FORM_DEPTH:
            _walk(container, tf, out, _compose(_matrix(obj), outer), obj, depth + 1)


_FILL, _STROKE = ctypes.c_int(), ctypes.c_int()
_FILL_REF, _STROKE_REF = ctypes.byref(_FILL), ctypes.byref(_STROKE)
_X, _Y = ctypes.c_float(), ctypes.c_float()
_X_REF, _Y_REF = ctypes.byref(_X), ctypes.byref(_Y)


def _path(obj: Any, tf: _Transform, out: PageObjects, outer: Matrix) -> None:
    if not raw.FPDFPath_GetDrawMode(obj, _FILL_REF, _STROKE_REF):
        return
    if _FILL.value == 0 and not _STROKE.value:
        return  # clipping or invisible: pdfminer paints nothing for ``n``
    a, b, c, d, e, f = _compose(_matrix(obj), outer)
    segment, point_of, type_of, close_of = (
        raw.FPDFPath_GetPathSegment,
        raw.FPDFPathSegment_GetPoint,
        raw.FPDFPathSegment_GetType,
        raw.FPDFPathSegment_GetClose,
    )
    moveto = raw.FPDF_SEGMENT_MOVETO
    subpath: list[Point] = []
    closed = False
    for s in range(raw.FPDFPath_CountSegments(obj)):
        seg = segment(obj, s)
        point_of(seg, _X_REF, _Y_REF)
        x, y = _X.value, _Y.value
        point = (a * x + c * y + e, b * x + d * y + f)
        if type_of(seg) == moveto:
            _emit(subpath, closed, tf, out)
            subpath, closed = [point], False
        else:
            subpath.append(point)
            if close_of(seg):
                closed = True
    _emit(subpath, closed, tf, out)


def _matrix(obj: Any) -> Matrix:
    """The object's matrix to the space of what holds it (the page, or a form XObject)."""
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer`` (PDF's row-vector convention: inner × outer)."""
    if outer == _IDENTITY:
        return inner
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> Point:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _emit(points: list[Point], closed: bool, tf: _Transform, out: PageObjects) -> None:
    """One subpath as pdfminer classifies it: a line, a rectangle, or a curve."""
    if not points:
        return
    if closed and len(points) > 2 and points[-1] != points[0]:  # ``h`` after one segment: still a line
        points = [*points, points[0]]
    placed = points  # already in pdfplumber's space: the page matrix is part of the path's
    xs = [p[0] for p in placed]
    tops = [p[1] for p in placed]
    left, right, top, bottom = min(xs), max(xs), min(tops), max(tops)
    base: Obj = {
        "x0": left,
        "x1": right,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "y0": tf.height - bottom,
        "y1": tf.height - top,
        "width": right - left,
        "height": bottom - top,
    }
    if len(placed) == 2:
        out.lines.append({**base, "object_type": "line", "pts": placed})
    elif len(placed) == 5 and placed[0] == placed[4] and _square(placed):
        out.rects.append({**base, "object_type": "rect", "pts": placed})
    elif len(placed) > 1:
        out.curves.append({**base, "object_type": "curve", "pts": placed})


def _square(p: list[Point]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
        y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
    )


def open_document(path: str) -> Any:
    """The PDFium document (raises ``pdfium.PdfiumError`` for a damaged or encrypted file)."""
    return pdfium.PdfDocument(path)
