"""Read YAML (or JSON) into plain values that remember their line numbers.

Scalars stay strings, so YAML 1.1 surprises (`no` becoming False, `1:20` a number)
never reach the bank; callers convert the fields they expect. Aliases are refused,
which rules out alias bombs, and nesting depth is capped.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DEPTH = 50

Value = str | None | list["Located"] | dict[str, "Located"]


@dataclass(frozen=True)
class Located:
    """A value with the 1-based line where it starts."""

    value: Value
    line: int


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise YamlSyntaxError(event.start_mark.line + 1, "aliases (*name) are not allowed")
        return Composer.compose_node(self, parent, index)


def load(text: str) -> Located:
    """Parse one YAML or JSON document into Located values.

    Raises:
        YamlSyntaxError: the text is not a single well-formed document.
    """
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
    except YamlSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(line, (exc.problem or str(exc)).strip()) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, str(exc)) from None
    finally:
        loader.dispose()
    if node is None:
        return Located(None, 1)
    return _convert(node, 0)


def _convert(node: Node, depth: int) -> Located:
    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise YamlSyntaxError(line, f"nested deeper than {MAX_DEPTH} levels")
    if not node.tag.startswith("tag:yaml.org,2002:") or "python" in node.tag:
        raise YamlSyntaxError(line, f"the tag {node.tag} is not allowed")
    if isinstance(node, ScalarNode):
        is_null = node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null")
        return Located(None if is_null else str(node.value), line)
    if isinstance(node, SequenceNode):
        return Located([_convert(item, depth + 1) for item in node.value], line)
    if isinstance(node, MappingNode):
        mapping: dict[str, Located] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlSyntaxError(key_node.start_mark.line + 1, "keys must be plain text")
            key = str(key_node.value)
            if key in mapping:
                raise YamlSyntaxError(key_node.start_mark.line + 1, f"duplicate key '{key}'")
            # A field's line is its key's: that is where an author looks for it.
            value = _convert(value_node, depth + 1)
            mapping[key] = Located(value.value, key_node.start_mark.line + 1)
        return Located(mapping, line)
    raise YamlSyntaxError(line, "unsupported YAML node")
