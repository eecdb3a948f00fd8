"""The lineage of practices as a diagram: cities of origin on the left, the cities that
adopted their practices on the right, one line per transfer."""

from dataclasses import dataclass, field

ROW = 56  # pixels between two cities
TOP = 40
WIDTH = 820
LEFT_X = 230  # where the lines start (after the origin's name)
RIGHT_X = 520  # where they end (before the adopter's name): room for long names after it


@dataclass
class Diagram:
    width: int
    height: int
    left_x: int = LEFT_X
    right_x: int = RIGHT_X
    origins: list = field(default_factory=list)  # (name, y)
    adopters: list = field(default_factory=list)  # (name, y)
    lines: list = field(default_factory=list)  # (y1, y2)


def diagram(transfers) -> Diagram:
    """Lay the transfers out in two columns, each organisation once, in order of first
    appearance."""
    origins: dict[int, tuple[str, int]] = {}
    adopters: dict[int, tuple[str, int]] = {}
    for transfer in transfers:
        origin, adopter = transfer.practice.origin, transfer.pairing.mentee
        origins.setdefault(origin.id, (origin.name, TOP + ROW * len(origins)))
        adopters.setdefault(adopter.id, (adopter.name, TOP + ROW * len(adopters)))
    height = TOP + ROW * max(len(origins), len(adopters), 1)
    result = Diagram(
        WIDTH, height, origins=list(origins.values()), adopters=list(adopters.values())
    )
    for transfer in transfers:
        result.lines.append(
            (origins[transfer.practice.origin_id][1], adopters[transfer.pairing.mentee_id][1])
        )
    return result
