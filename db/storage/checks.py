"""The record rules: what makes a span, a link or an entity mention valid.

Pure functions over records and what the database holds about their ends, so that every
writer (one change, a bulk change, an import, a team sync) and the export reader apply the
same rules. Each breach raises InvalidAnnotation with a message naming the record.
"""

from __future__ import annotations

from db.errors import InvalidAnnotation
from db.records import EntityData, Fragments, RelationData
from db.schema.label_schema import RelationTypeDef


def check_spans(text: str, start: int, end: int, fragments: Fragments) -> None:
    """A span, or sorted non-overlapping fragments whose hull is (start, end)."""
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise InvalidAnnotation("start and end must be whole numbers")
    if not 0 <= start < end <= len(text):
        raise InvalidAnnotation(f"span {start}-{end} is outside the text (0-{len(text)}) or empty")
    if not fragments:
        return
    if len(fragments) < 2:
        raise InvalidAnnotation("a discontinuous annotation needs at least two fragments")
    previous_end = -1
    for fragment in fragments:
        if len(fragment) != 2 or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in fragment
        ):
            raise InvalidAnnotation(f"fragment {fragment!r} must be two whole numbers")
        fragment_start, fragment_end = fragment
        if not 0 <= fragment_start < fragment_end <= len(text):
            raise InvalidAnnotation(f"fragment {fragment_start}-{fragment_end} is outside the text")
        if fragment_start < previous_end:
            raise InvalidAnnotation("fragments must be sorted and must not overlap")
        previous_end = fragment_end
    if (fragments[0][0], fragments[-1][1]) != (start, end):
        raise InvalidAnnotation("start/end must be the first fragment's start and last one's end")


End = tuple[
    str, str, str
]  # an annotation as links and entities need it: document, annotator, label


def check_link_ends(
    link: RelationData, source: End | None, target: End | None, kind: RelationTypeDef | None
) -> None:
    """The rules for a link, given its ends and its type as the database has them (None:
    missing); the record-by-record and the bulk writers both ask here."""
    if source is None:
        raise InvalidAnnotation(f"the {link.type} link's source {link.source} does not exist")
    if target is None:
        raise InvalidAnnotation(f"the {link.type} link's target {link.target} does not exist")
    if source[0] != link.document_id or target[0] != link.document_id:
        raise InvalidAnnotation(f"a {link.type} link must stay within one document")
    if source[1] != link.annotator or target[1] != link.annotator:
        raise InvalidAnnotation(
            f"a {link.type} link of {link.annotator} must join {link.annotator}'s annotations"
        )
    if link.source == link.target:
        raise InvalidAnnotation("an annotation cannot be linked to itself")
    if kind is None:
        raise InvalidAnnotation(f"the schema has no link type '{link.type}'")
    if not kind.allows(source[2], target[2]):
        raise InvalidAnnotation(
            f"a {link.type} link goes from {'/'.join(kind.from_labels)} to "
            f"{'/'.join(kind.to_labels)}, not from {source[2]} to {target[2]}"
        )


def check_entity_shape(entity: EntityData) -> None:
    """An entity has a name and mentions, each once."""
    if not entity.name.strip():
        raise InvalidAnnotation("an entity needs a name")
    if not entity.mentions:
        raise InvalidAnnotation(f"entity '{entity.name}' has no mention")
    if len(set(entity.mentions)) != len(entity.mentions):
        raise InvalidAnnotation(f"entity '{entity.name}' lists a mention twice")


def check_mention(
    entity: EntityData, mention_id: str, end: End | None, forms_entities: bool, held_by: str
) -> None:
    """The rules for one mention of an entity, given the annotation as the database has it
    (None: missing), whether its label forms entities, and the entity holding it ("": none)."""
    name = entity.name
    if end is None:
        raise InvalidAnnotation(f"entity '{name}': mention {mention_id} does not exist")
    if end[0] != entity.document_id or end[1] != entity.annotator:
        raise InvalidAnnotation(
            f"entity '{name}': mention {mention_id} is in another document or by another annotator"
        )
    if not forms_entities:
        raise InvalidAnnotation(f"entity '{name}': {end[2]} annotations cannot form entities")
    if held_by and held_by != entity.id:
        raise InvalidAnnotation(
            f"entity '{name}': mention {mention_id} already belongs to another entity"
        )
