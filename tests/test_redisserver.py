"""The test suite's own Redis server (tests/redisserver.py): private, and gone afterwards."""

from __future__ import annotations

import redis

import redisserver


def test_a_private_server_answers_and_is_stopped_after():
    with redisserver.running() as url:
        client = redis.Redis.from_url(url)
        client.set("k", b"v")
        assert client.get("k") == b"v"
    try:
        client.ping()
    except redis.ConnectionError:
        pass
    else:
        raise AssertionError("the server still answers after the run")
