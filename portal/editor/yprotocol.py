"""The Yjs wire format beyond what pycrdt offers: lib0's variable-length numbers and strings, and
the awareness protocol (who is where), which the server reads to put each member's own name at
their cursor. No Django here: the benchmark's clients (bench/coediting/) use it too."""

from __future__ import annotations

import json

from pycrdt import YMessageType, write_var_uint


def var_string(text: str) -> bytes:
    data = text.encode()
    return write_var_uint(len(data)) + data


class Reader:
    """lib0's variable-length integers and byte strings, refusing anything cut short."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def uint(self) -> int:
        value, shift = 0, 0
        while True:
            if self.at >= len(self.data) or shift > 49:
                raise ValueError("truncated")
            byte = self.data[self.at]
            self.at += 1
            value |= (byte & 127) << shift
            shift += 7
            if byte < 128:
                return value

    def bytes(self) -> bytes:
        length = self.uint()
        if self.at + length > len(self.data):
            raise ValueError("truncated")
        chunk = self.data[self.at:self.at + length]
        self.at += length
        return chunk

    def done(self) -> bool:
        return self.at == len(self.data)


def rewrite_awareness(payload: bytes, *, name: str, colour: str) -> tuple[bytes, dict[int, int]]:
    """The awareness update with the person's name and colour as the server knows them (nobody can
    show someone else's name at their cursor), and the client ids and clocks it announced."""
    reader = Reader(payload)
    count = reader.uint()
    if count > 8:
        raise ValueError("too many awareness entries")
    out = [write_var_uint(count)]
    clocks: dict[int, int] = {}
    for _index in range(count):
        client, clock = reader.uint(), reader.uint()
        state = json.loads(reader.bytes().decode())
        if state is not None:
            if not isinstance(state, dict):
                raise ValueError("awareness state is not an object")
            state["user"] = {"name": name, "color": colour}
        clocks[client] = clock
        out += [write_var_uint(client), write_var_uint(clock), var_string(json.dumps(state))]
    if not reader.done():
        raise ValueError("trailing bytes")
    return b"".join(out), clocks


def awareness_gone(clocks: dict[int, int]) -> bytes:
    """An awareness update removing these clients (their cursors disappear at once)."""
    out = [write_var_uint(len(clocks))]
    for client, clock in clocks.items():
        out += [write_var_uint(client), write_var_uint(clock + 1), var_string("null")]
    return b"".join(out)


def awareness_message(payload: bytes) -> bytes:
    return write_var_uint(YMessageType.AWARENESS) + write_var_uint(len(payload)) + payload


def merge_awareness(*payloads: bytes) -> bytes:
    """Several awareness updates as one: for each client the entry with the highest clock (the
    later one on a tie), as the receiving side would keep it anyway. Used to send a burst of cursor
    moves between server processes as one message."""
    entries: dict[int, tuple[int, bytes]] = {}
    for payload in payloads:
        reader = Reader(payload)
        for _index in range(reader.uint()):
            client, clock, state = reader.uint(), reader.uint(), reader.bytes()
            if client not in entries or clock >= entries[client][0]:
                entries[client] = (clock, state)
        if not reader.done():
            raise ValueError("trailing bytes")
    out = [write_var_uint(len(entries))]
    for client, (clock, state) in entries.items():
        out += [write_var_uint(client), write_var_uint(clock), write_var_uint(len(state)), state]
    return b"".join(out)
