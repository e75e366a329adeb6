"""An agreement report a reviewer can keep: one self-contained HTML file.

Inline CSS and inline SVG only (no script, no network, no files beside it), so it opens the
same in any browser years later and can be attached to an e-mail. Every piece of user text
(labels, annotator names, document titles) is HTML-escaped. The two charts are also
available on their own (`bars_svg`, `confusion_svg`) for a window that draws SVG.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from db.agreement.measure import AgreementResult, AttributionAgreement, CoreferenceAgreement, Row
from db.text.messages import counted

BAR_MEASURES = (("exact_f1", "exact F1", "#4285f4"), ("overlap_f1", "overlap F1", "#0f9d58"),
                ("alpha_u", "alpha_U", "#f4b400"))  # fmt: skip
NONE_LABEL = "(none)"

_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { padding: .25em .6em; border-bottom: 1px solid #eee; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f5f5f5; }
tr.overall td { font-weight: bold; border-top: 2px solid #ccc; }
.muted { color: #777; }
.note { color: #555; font-size: .92em; max-width: 60em; }
svg text { font: 12px system-ui, sans-serif; }
"""


def save_report(result: AgreementResult, path: Path) -> None:
    """Write the report complete or not at all (the window's Save and `agree --html`)."""
    from db.files.outputs import write_text_atomically

    write_text_atomically(path, render_report(result))


def render_report(result: AgreementResult) -> str:
    """The whole report as one HTML document."""
    names = ", ".join(escape(name) for name in result.annotators)
    overall = result.overall
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Agreement: {names}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Inter-annotator agreement</h1>",
        f"<p>Annotators: <strong>{names}</strong> "
        f'<span class="muted">(the first is the reference for precision and recall)</span>'
        f"<br>{counted(overall.counts.documents, 'document')} compared, "
        f"{overall.counts.tokens_compared} tokens.</p>",
        "<h2>Per label</h2>",
        _label_table(result),
        _token_alpha_note(result),
        "<h2>Chart</h2>",
        bars_svg(result),
        "<h2>Label confusion</h2>",
        '<p class="note">Each span once: rows are the first annotator\'s labels, columns the '
        "second's. A span is counted with the span of the same label it overlaps, else with "
        f"an overlapping span of another label, else under {NONE_LABEL}.</p>",
        confusion_svg(result),
        "<h2>Attribution</h2>",
        _attribution_table(result.section.attribution),
        "<h2>Coreference</h2>",
        _coreference_table(result.section.coreference),
    ]
    if len(result.pairs) > 1:
        parts += ["<h2>Pairs of annotators</h2>", _pairs_table(result)]
    parts += ["<h2>Documents</h2>", _documents_table(result), _method_note(), "</body></html>"]
    return "\n".join(parts) + "\n"


def number(value: float | None, digits: int = 3) -> str:
    """A score as the report shows it: fixed digits, or a dash when undefined."""
    return "—" if value is None else f"{value:.{digits}f}"


def _label_table(result: AgreementResult) -> str:
    names = result.annotators
    head = "".join(f"<th>{escape(name)}</th>" for name in names)
    rows = [
        "<table><thead><tr><th>label</th>",
        head,
        "<th>exact P</th><th>exact R</th><th>exact F1</th><th>overlap F1</th>"
        "<th>kappa</th><th>alpha</th><th>alpha_U</th></tr></thead><tbody>",
    ]
    for label, row in result.labels.items():
        rows.append(_label_row(escape(label), row, names, ""))
    rows.append(_label_row("overall", result.overall, names, ' class="overall"'))
    rows.append("</tbody></table>")
    if len(result.pairs) > 1:
        rows.append(
            '<p class="note">With more than two annotators, precision, recall, F1 and kappa '
            "are means over the pairs of annotators (± standard deviation); alpha and "
            "alpha_U are computed over all annotators at once.</p>"
        )
    return "".join(rows)


def _token_alpha_note(result: AgreementResult) -> str:
    token_alpha = result.section.token_alpha
    labels = ", ".join(escape(label) for label in token_alpha.labels) or "no label"
    return (
        f"<p>Token alpha (one variable per token, its label or none, over {labels}): "
        f"<strong>{number(token_alpha.alpha)}</strong></p>"
        '<p class="note">The alpha column above is binary, one label at a time (a token is '
        "in that label or not); the token alpha is one nominal variable per token whose "
        "values are the labels (a token in two labels has both at once) or none, as "
        "attribution corpora publish it.</p>"
    )


def _label_row(label: str, row: Row, names: list[str], attributes: str) -> str:
    counts = "".join(f"<td>{row.counts.annotations.get(name, 0)}</td>" for name in names)
    cells = [
        number(row.exact_precision),
        number(row.exact_recall),
        _with_sd(row, "exact_f1"),
        _with_sd(row, "overlap_f1"),
        _with_sd(row, "kappa"),
        number(row.alpha),
        number(row.alpha_u),
    ]
    measures = "".join(f"<td>{cell}</td>" for cell in cells)
    return f"<tr{attributes}><td>{label}</td>{counts}{measures}</tr>"


def _with_sd(row: Row, key: str) -> str:
    value = number(getattr(row, key))
    spread = row.sd.get(key)
    return value if spread is None else f"{value} ± {spread:.3f}"


def bars_svg(result: AgreementResult) -> str:
    """Bars per label (and overall): exact F1, overlap F1 and alpha_U on a 0-1 scale; a
    negative alpha_U is drawn at 0 with its value written, an undefined one left out."""
    rows = [*result.labels.items(), ("overall", result.overall)]
    bar, gap, left, top, width = 14, 12, 130, 30, 420
    group = bar * len(BAR_MEASURES) + gap
    height = top + group * len(rows) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 80}" '
        f'height="{height}" role="img" aria-label="agreement per label">'
    ]
    for index, (_key, title, colour) in enumerate(BAR_MEASURES):
        key_x = left + index * 130
        out.append(f'<rect x="{key_x}" y="6" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{key_x + 16}" y="16">{title}</text>')
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = left + tick * width
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 24}" stroke="#ddd"/>'
        )
        out.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle">{tick:g}</text>')
    for row_index, (label, row) in enumerate(rows):
        y0 = top + row_index * group
        out.append(
            f'<text x="{left - 8}" y="{y0 + group / 2:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        for index, (key, title, colour) in enumerate(BAR_MEASURES):
            value = getattr(row, key)
            y = y0 + index * bar
            if value is None:
                out.append(f'<text x="{left + 4}" y="{y + bar - 3}" fill="#777">—</text>')
                continue
            length = max(0.0, min(1.0, value)) * width
            out.append(
                f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar - 2}" '
                f'fill="{colour}"><title>{escape(label)}: {title} {value:.3f}</title></rect>'
            )
            out.append(f'<text x="{left + length + 4:.1f}" y="{y + bar - 3}">{value:.2f}</text>')
    out.append("</svg>")
    return "".join(out)


def confusion_svg(result: AgreementResult) -> str:
    """The label confusion matrix as a heat map: darker cells hold more spans."""
    first_labels = _axis([cell.first for cell in result.confusion], result)
    second_labels = _axis([cell.second for cell in result.confusion], result)
    counts = {(cell.first, cell.second): cell.count for cell in result.confusion}
    most = max(counts.values(), default=0)
    size, left, top = 46, 130, 110
    width = left + size * len(second_labels) + 20
    height = top + size * len(first_labels) + 20
    if len(result.annotators) == 2:
        first, second = (escape(name) for name in result.annotators)
    else:
        first, second = "the first of each pair", "the second of each pair"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'role="img" aria-label="label confusion matrix">',
        f'<text x="{left}" y="14">columns: {second}</text>',
        f'<text x="4" y="{top - 8}">rows: {first}</text>',
    ]
    for column, label in enumerate(second_labels):
        x = left + column * size + size / 2
        out.append(
            f'<text x="{x:.1f}" y="{top - 8}" transform="rotate(-45 {x:.1f} {top - 8})">'
            f"{escape(_axis_name(label))}</text>"
        )
    for row, first_label in enumerate(first_labels):
        y = top + row * size
        out.append(
            f'<text x="{left - 6}" y="{y + size / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(_axis_name(first_label))}</text>"
        )
        for column, second_label in enumerate(second_labels):
            count = counts.get((first_label, second_label), 0)
            share = count / most if most else 0.0
            fill = _heat(share, first_label is not None and first_label == second_label)
            x = left + column * size
            text_colour = "#fff" if share > 0.55 else "#222"
            out.append(
                f'<rect x="{x}" y="{y}" width="{size - 2}" height="{size - 2}" fill="{fill}">'
                f"<title>{escape(_axis_name(first_label))} / "
                f"{escape(_axis_name(second_label))}: {count}</title></rect>"
            )
            if count:
                out.append(
                    f'<text x="{x + size / 2 - 1:.1f}" y="{y + size / 2 + 3:.1f}" '
                    f'text-anchor="middle" fill="{text_colour}">{count}</text>'
                )
    out.append("</svg>")
    return "".join(out)


def _axis(found: list[str | None], result: AgreementResult) -> list[str | None]:
    """The result's labels in order, any other label met, and 'none' last if it occurs."""
    labels: list[str | None] = [label for label in result.labels if label in found]
    labels += sorted({label for label in found if label is not None} - set(result.labels))
    if None in found:
        labels.append(None)
    return labels


def _axis_name(label: str | None) -> str:
    return NONE_LABEL if label is None else label


def _heat(share: float, diagonal: bool) -> str:
    """White to dark blue (green on the diagonal, where the annotators agree)."""
    base = (15, 157, 88) if diagonal else (26, 82, 160)
    mixed = (round(255 + (channel - 255) * share) for channel in base)
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def _attribution_table(attribution: AttributionAgreement) -> str:
    rows = [
        "<table><tbody>",
        f"<tr><td>quotes both annotated</td><td>{attribution.quotes_matched}</td></tr>",
        f"<tr><td>same speaker</td><td>{number(attribution.speaker)}</td>"
        f'<td class="muted">{attribution.speaker_agreed} of '
        f"{attribution.speaker_compared}</td></tr>",
        f"<tr><td>same cue</td><td>{number(attribution.cue)}</td>"
        f'<td class="muted">{attribution.cue_agreed} of {attribution.cue_compared}</td></tr>',
        f"<tr><td>events both annotated</td><td>{attribution.events_matched}</td></tr>",
    ]
    for role, value in attribution.roles.items():
        rows.append(
            f"<tr><td>argument: {escape(role)} (F1)</td><td>{number(value.f1)}</td>"
            f'<td class="muted">{value.matched} paired; {value.first} and '
            f"{value.second} given</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _coreference_table(coreference: CoreferenceAgreement) -> str:
    return (
        "<table><thead><tr><th></th><th>precision</th><th>recall</th><th>F1</th></tr></thead>"
        f"<tbody><tr><td>pairwise links</td><td>{number(coreference.link_precision)}</td>"
        f"<td>{number(coreference.link_recall)}</td><td>{number(coreference.link_f1)}</td></tr>"
        f"<tr><td>B-cubed</td><td>{number(coreference.b3_precision)}</td>"
        f"<td>{number(coreference.b3_recall)}</td><td>{number(coreference.b3_f1)}</td></tr>"
        "</tbody></table>"
        f'<p class="muted">{counted(coreference.mentions_matched, "mention")} matched of '
        f"{coreference.mentions_first} and {coreference.mentions_second}.</p>"
    )


def _pairs_table(result: AgreementResult) -> str:
    rows = [
        "<table><thead><tr><th>reference</th><th>compared</th><th>documents</th>"
        "<th>exact F1</th><th>overlap F1</th><th>kappa</th></tr></thead><tbody>"
    ]
    for pair in result.pairs:
        rows.append(
            f"<tr><td>{escape(pair.first)}</td><td>{escape(pair.second)}</td>"
            f"<td>{pair.documents}</td><td>{number(pair.overall.exact_f1)}</td>"
            f"<td>{number(pair.overall.overlap_f1)}</td><td>{number(pair.overall.kappa)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _documents_table(result: AgreementResult) -> str:
    rows = [
        "<table><thead><tr><th>document</th><th>annotators</th><th>exact F1</th>"
        "<th>overlap F1</th><th>kappa</th><th>alpha_U</th><th>token alpha</th></tr></thead>"
        "<tbody>"
    ]
    for document in result.documents.values():
        row = document.overall
        rows.append(
            f'<tr><td>{escape(document.title)} <span class="muted">{escape(document.id)}'
            f"</span></td><td>{escape(', '.join(document.annotators))}</td>"
            f"<td>{number(row.exact_f1)}</td><td>{number(row.overlap_f1)}</td>"
            f"<td>{number(row.kappa)}</td><td>{number(row.alpha_u)}</td>"
            f"<td>{number(document.section.token_alpha.alpha)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _method_note() -> str:
    return (
        '<h2>How these are measured</h2><p class="note">'
        "Exact match: same label and the same text (all fragments). Overlap match: same "
        "label and shared text, each span paired at most once. Tokens are runs of letters, "
        "digits and combining marks, or single other characters; a token is in a label when "
        "it lies wholly inside text given that label. Kappa is Cohen's, per pair; alpha is "
        "Krippendorff's (nominal) over all annotators, per label in or out of it; token "
        "alpha is Krippendorff's (nominal) over one value per token, its label or none; "
        "alpha_U is Krippendorff's unitizing alpha over the text in code points "
        "(Krippendorff 1995, 2004). Coreference compares the entities over mentions both "
        "annotators marked; attribution compares the speakers and cues of quotes both "
        "annotated. — means undefined (for instance, no annotations).</p>"
    )
