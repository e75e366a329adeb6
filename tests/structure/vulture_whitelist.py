"""Names vulture (`make dead-code`, in `make lint`) reports as unused that are not dead.

Each entry says why. Anything else vulture finds in db/ and desktop/ is dead code to remove;
an entry here is a decision, made in review, that a name stays.
"""

# ruff: noqa: B018, F821
# mypy: ignore-errors

_ = object()

# Fields of results: read as data (JSON, reports, tests), or set for a reader still to come.
overlap_precision  # PairMeasures / Row: in the JSON of `spanwise agree --json`
overlap_recall
first_spans
second_spans
closed  # a quotation records whether its closing mark was found (set, not read yet)
moved  # W3C re-anchoring says whether the target moved
kept_local  # records a pull kept because a newer local edit waited (set, not shown yet)
_.kept_local
schema_updated  # SyncReport: the pull brought a newer schema (set, not shown yet)
_.schema_updated
_.differs  # utf16.Units: public, used by the tests of offsets

# Public API documented in README ("Other tools' formats: in detail").
labeling_config  # db.formats.label_studio.labeling_config(schema)
reanchor  # db.formats.w3c.reanchor(annotation, text)
import_export  # Spanwise JSON import in one call, for scripts and the tests
load_export_file  # the whole-file read that import_export takes (scripts, tests)

# Registered by being built: the format registry keeps them.
BIO
SPACY

# Read by libraries through attribute names they define.
_.external_to_python  # dkpro-cassis type converters
_.python_to_external
_.sofa_mime  # dkpro-cassis CAS
type_annotation_map  # SQLAlchemy's declarative base
changed_at  # SQLAlchemy columns of the sync bookkeeping tables
SyncOutbox  # SQLAlchemy models: the migrated schema and the models match (a test checks)
SyncTracking
SyncBase
SyncDocument
SyncConflict
_.isolation_level  # psycopg connection setting
_.required  # argparse subparsers setting

# Qt virtual methods, called by Qt.
_.columnCount
_.headerData
_.filterAcceptsRow
source_parent
_.lessThan

# Test seams: the window as tests and the README screenshots drive it.
server_key  # the same signature as its sibling callbacks in db/team/apply.py
create_window  # desktop.app: the window without the event loop (tests, screenshots, bench)
_.select_span  # ArticleView: select a span as a user's mouse would
_.decorated_ids  # ArticleView: which annotations are drawn
_.emphasised_ids
_.training  # MainWindow: the training controller (tests/desktop/test_training.py)
_.annotator_list  # MainWindow: the annotator list widget (tests/desktop/test_review.py)
_.annotation_proxy  # MainWindow: the annotation list's filter model
_.painted  # FirstPaintWindow: tests wait for the first paint by it
TABLE_COLUMNS  # db/storage/first_paint.py: the test holding its SQL to the models reads it
