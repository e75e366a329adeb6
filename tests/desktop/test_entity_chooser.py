"""The type-ahead entity list that E opens."""

from __future__ import annotations

from PySide6.QtCore import Qt

from db.records import EntityData
from desktop.widgets.entity_chooser import EntityChooser

ENTITIES = [
    EntityData("e1", "d", "ana", "Volodymyr Zelensky", "person", ("m1", "m2")),
    EntityData("e2", "d", "ana", "Andriy Kovalenko", "person", ("m3",)),
    EntityData("e3", "d", "ana", "The transport ministry", "organisation", ("m4",)),
]


def test_typing_filters_and_enter_links_to_the_highlighted_entity(qtbot):
    chooser = EntityChooser(None, ENTITIES, "")
    qtbot.addWidget(chooser)
    assert chooser.list.count() == 3
    qtbot.keyClicks(chooser.filter, "kova")
    assert [chooser.list.item(i).text() for i in range(chooser.list.count())] == [
        "Andriy Kovalenko  (1 mention)",
        "New entity: kova",
    ]
    qtbot.keyClick(chooser.filter, Qt.Key.Key_Return)
    assert chooser.choice == ("e2", "kova")


def test_down_arrow_reaches_new_entity_with_the_typed_name(qtbot):
    chooser = EntityChooser(None, ENTITIES, "Zelensky")
    qtbot.addWidget(chooser)
    chooser.filter.setText("President Zelensky")
    assert chooser.list.item(0).text() == "New entity: President Zelensky"
    qtbot.keyClick(chooser.filter, Qt.Key.Key_Return)
    assert chooser.choice == (None, "President Zelensky")


def test_the_name_is_plain_text_even_when_it_looks_like_markup(qtbot):
    entities = [EntityData("e9", "d", "ana", "<b>Bold</b> & co", "organisation", ("m",))]
    chooser = EntityChooser(None, entities, "<b>")
    qtbot.addWidget(chooser)
    assert chooser.list.item(0).text().startswith("<b>Bold</b> & co")
    qtbot.keyClick(chooser.filter, Qt.Key.Key_Down)
    qtbot.keyClick(chooser.filter, Qt.Key.Key_Return)
    assert chooser.choice == (None, "<b>")
