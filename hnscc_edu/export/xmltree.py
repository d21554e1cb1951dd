"""Building XML documents with the standard library, so the exports need no XML package at run time.

Namespaces are written as ordinary ``xmlns`` attributes on the root and tags stay unqualified: the serialised
document is the same as a namespace-aware builder would write, without ElementTree's generated ``ns0:`` prefixes.
Text is escaped by ElementTree itself; nothing here writes markup from strings.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

XSI = "http://www.w3.org/2001/XMLSchema-instance"


def root(tag: str, namespace: str | None, schema_location: str | None = None, **attrib: str) -> ET.Element:
    """A document element declaring its default namespace (and where its schema lives)."""
    element = ET.Element(tag)
    if namespace:
        element.set("xmlns", namespace)
    if schema_location:
        element.set("xmlns:xsi", XSI)
        element.set("xsi:schemaLocation", schema_location)
    for key, value in attrib.items():
        element.set(key.rstrip("_"), value)
    return element


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    """Append a child element; a trailing underscore in an attribute name escapes Python keywords (``class_``)."""
    element = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrib.items()})
    if text is not None:
        element.text = text
    return element


def serialize(element: ET.Element) -> bytes:
    """UTF-8 bytes with an XML declaration, indented for people who open the file."""
    ET.indent(element)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def number(value: float) -> str:
    """A float as XML text: integers without a fraction, other values exact (repr round-trips)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
