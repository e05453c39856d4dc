"""LaTeX in BibTeX field values turned into plain Unicode text.

BibTeX values are LaTeX: accents (``M{\\"u}ller``, ``\\'{e}``, ``\\c c``), special letters
(``\\ss``, ``\\o``), symbols (``\\&``, ``--``), text commands (``\\emph{...}``), logos
(``\\TeX``) and math (``$\\Sigma^0$``, ``DNA$_2$``). Table-driven and single-pass: a
general LaTeX parser (pylatexenc) costs ten times the rest of a BibTeX import, and a
bibliography needs only this subset. An unknown command keeps its name (``\\foo`` ->
``foo``) or its argument, so no text is dropped.
"""

from __future__ import annotations

import re
import unicodedata

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
    "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331", "t": "\u0361",
}
_LETTERS = {
    "i": "ı", "j": "ȷ", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ",
    "OE": "Œ", "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "dh": "ð", "DH": "Ð", "th": "þ",
    "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
}
_SYMBOLS = {
    # Logos and text symbols.
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "XeTeX": "XeTeX",
    "ldots": "…", "dots": "…", "textendash": "–", "textemdash": "—", "textdegree": "°",
    "copyright": "©", "textcopyright": "©", "S": "§", "P": "¶", "dag": "†", "ddag": "‡",
    "pounds": "£", "euro": "€", "texteuro": "€", "textregistered": "®",
    "texttrademark": "™", "textquoteright": "’", "textquoteleft": "‘",
    "textquotedblleft": "“", "textquotedblright": "”", "guillemotleft": "«",
    "guillemotright": "»", "textbackslash": "\\", "textbar": "|", "textless": "<",
    "textgreater": ">", "textasciitilde": "~", "textunderscore": "_", "slash": "/",
    "textperiodcentered": "·", "textbullet": "•", "textperthousand": "‰",
    "textmu": "µ", "textonehalf": "½", "textsection": "§",
    # Math.
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι",
    "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ",
    "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ",
    "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ",
    "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "times": "×", "pm": "±",
    "mp": "∓", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠",
    "approx": "≈", "sim": "∼", "simeq": "≃", "equiv": "≡", "propto": "∝", "infty": "∞",
    "cdot": "·", "circ": "∘", "degree": "°", "ell": "ℓ", "rightarrow": "→", "to": "→",
    "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "leftrightarrow": "↔",
    "uparrow": "↑", "downarrow": "↓", "backslash": "\\", "prime": "′", "partial": "∂",
    "sum": "∑", "prod": "∏", "int": "∫", "sqrt": "√", "nabla": "∇", "in": "∈",
    "notin": "∉", "subset": "⊂", "supset": "⊃", "cup": "∪", "cap": "∩", "forall": "∀",
    "exists": "∃", "emptyset": "∅", "cdots": "⋯", "ast": "∗", "star": "⋆", "div": "÷",
    "langle": "⟨", "rangle": "⟩", "lbrace": "{", "rbrace": "}", "colon": ":",
    "quad": " ", "qquad": " ", "hbar": "ħ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ",
    "log": "log", "ln": "ln", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan",
    "max": "max", "min": "min", "lim": "lim", "deg": "deg",
    # Font switches.
    "bf": "", "it": "", "em": "", "rm": "", "sc": "", "sf": "", "tt": "", "sl": "",
    "bfseries": "", "itshape": "", "mdseries": "", "upshape": "", "scshape": "",
    "rmfamily": "", "sffamily": "", "ttfamily": "", "normalfont": "", "small": "",
    "large": "", "Large": "", "footnotesize": "", "normalsize": "", "scriptsize": "",
    "tiny": "", "huge": "", "Huge": "",
    # Spacing and line breaks.
    "newline": " ", "linebreak": " ", "par": " ", "noindent": "", "relax": "",
    "hyphen": "-", "psq": " f.", "psqq": " ff.",
    "protect": "", "nobreak": "", "allowbreak": "", "hfill": " ", "hspace": "",
    "vspace": "", "displaystyle": "", "left": "", "right": "", "big": "", "Big": "",
}
_ESCAPES = {
    # Escaped braces in a bibliography are mangled LaTeX (Mendeley writes ``{\\{}``), not text.
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "", "}": "",
    " ": " ", ",": " ", ";": " ", ":": " ", "!": "", "/": "", "-": "", "\\": " ", "@": "",
}
# Commands whose (braced) argument is text to keep and whose name is dropped.
_DROP_ARGUMENT = frozenset({"hspace", "vspace", "label", "cite", "ref"})
_COMMAND = re.compile(r"\\(?:([A-Za-z]+)|(.))|\$|[{}~]|``|''|---?", re.DOTALL)
_SUPER = str.maketrans("0123456789+-=()niat", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵃᵗ")
_SUB = str.maketrans("0123456789+-=()aeox", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓ")
_SCRIPT = re.compile(r"([_^])(?:\{([^{}]*)\}|(\S))")


def latex_to_text(value: str) -> str:
    """Plain text of a LaTeX field value (braces, accents, commands, math resolved); the
    value itself when there is nothing to resolve."""
    # Substring tests, not one regex search: that was the BibTeX importer's hot spot. A
    # two-character search scans several times slower than a one-character one, so the
    # pairs are looked for only where their character occurs at all.
    if "\\" not in value and "{" not in value and "}" not in value and "$" not in value \
            and "~" not in value and ("-" not in value or "--" not in value) \
            and ("`" not in value or "``" not in value) \
            and ("'" not in value or "''" not in value):
        return value
    out: list[str] = []
    _convert(value, 0, len(value), out, math=False)
    text = "".join(out)
    if "\\" in text and "backslash" in value:
        # LaTeX escaped as text (Mendeley: ``$\\backslash$bf``): read it once more.
        out = []
        _convert(text, 0, len(text), out, math=False)
        text = "".join(out)
    if ("$" in value or "\\text" in value) and ("^" in text or "_" in text):
        text = _SCRIPT.sub(_script, text)
    return unicodedata.normalize("NFC", text)


def _script(match: re.Match[str]) -> str:
    body = match.group(2) if match.group(2) is not None else match.group(3)
    table = _SUPER if match.group(1) == "^" else _SUB
    converted = body.translate(table)
    # Only when every character has a Unicode super/subscript form.
    if any(a == b and not a.isspace() for a, b in zip(body, converted, strict=True)):
        return match.group(0)
    return converted


def _group(text: str, i: int, end: int) -> tuple[int, int] | None:
    """Bounds of the braced group starting at ``text[i]`` (after spaces), or None."""
    while i < end and text[i] == " ":
        i += 1
    if i >= end or text[i] != "{":
        return None
    depth, j = 0, i
    while j < end:
        ch = text[j]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1, j
        j += 1
    return i + 1, end  # unbalanced: the rest of the value


def _convert(text: str, start: int, end: int, out: list[str], *, math: bool) -> None:
    pos = start
    while pos < end:
        m = _COMMAND.search(text, pos, end)
        if m is None:
            out.append(text[pos:end])
            return
        out.append(text[pos:m.start()])
        token = m.group(0)
        pos = m.end()
        if token in ("{", "}"):
            continue
        if token == "$":
            math = not math
            continue
        if token == "~":
            out.append(" ")
            continue
        if token in ("``", "''", "--", "---"):
            out.append({"``": "“", "''": "”", "--": "–", "---": "—"}[token])
            continue
        name = m.group(1) or m.group(2) or ""
        if name in _ACCENTS:
            pos = _accent(text, pos, end, name, out)
            continue
        if m.group(2) is not None:  # ``\&`` and friends
            out.append(_ESCAPES.get(name, name))
            continue
        if name in _LETTERS:
            out.append(_LETTERS[name])
            pos = _skip_empty_group(text, _skip_spaces(text, pos, end), end)
            continue
        if name in _SYMBOLS:
            out.append(_SYMBOLS[name])
            if name in _DROP_ARGUMENT:
                group = _group(text, pos, end)
                if group is not None:
                    pos = group[1] + 1
            pos = _skip_empty_group(text, pos, end)
            continue
        group = _group(text, pos, end)
        if group is not None:  # ``\emph{x}``, ``\textsubscript{2}``, ``\unknown{x}``
            if name in _DROP_ARGUMENT:
                pos = group[1] + 1
                continue
            inner: list[str] = []
            _convert(text, group[0], group[1], inner, math=math)
            body = "".join(inner)
            out.append(f"_{{{body}}}" if name == "textsubscript" else
                       f"^{{{body}}}" if name == "textsuperscript" else body)
            pos = min(group[1] + 1, end)
        elif name.startswith("text") or name.startswith("math"):
            # ``\textrm2``: an unbraced argument is the next character.
            pos = _skip_spaces(text, pos, end)
        else:
            out.append(name)  # unknown command without argument: keep its name


def _skip_spaces(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] == " ":
        pos += 1
    return pos


def _skip_empty_group(text: str, pos: int, end: int) -> int:
    return pos + 2 if text.startswith("{}", pos) and pos + 2 <= end else pos


_NAME = re.compile(r"\\([A-Za-z]+)")


def _accent(text: str, pos: int, end: int, name: str, out: list[str]) -> int:
    """``\\"u``, ``\\"{u}``, ``\\c c``, ``\\'\\i``: the next letter with a combining mark."""
    mark = _ACCENTS[name]
    if name.isalpha():
        pos = _skip_spaces(text, pos, end)
    group = _group(text, pos, end)
    if group is not None:
        body, pos = text[group[0]:group[1]].strip(), min(group[1] + 1, end)
    elif (named := _NAME.match(text, pos, end)) is not None:
        body, pos = named.group(0), _skip_empty_group(text, named.end(), end)
    else:
        body, pos = text[pos:pos + 1], pos + 1
    if body.startswith("\\"):  # ``\\'\\i``: the dotless i takes the accent as a plain i
        letter = body[1:]
        body = {"i": "i", "j": "j"}.get(letter) or _LETTERS.get(letter, letter)
    body = body.replace("{", "").replace("}", "")
    if body:
        out.append(body[0] + mark + body[1:])
    return pos
