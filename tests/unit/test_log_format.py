"""Log lines carry RFC 3339 UTC timestamps (found: local time without a zone)."""

import json
import logging
from datetime import UTC, datetime

from shared.platform.logging import configure_logging


def test_every_log_line_is_json_with_an_rfc3339_utc_time(capsys):
    configure_logging(service="tests")
    logging.getLogger("tests").warning("hello", extra={"n": 1})
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["message"] == "hello" and line["service"] == "tests" and line["n"] == 1
    assert line["time"].endswith("Z")
    stamped = datetime.fromisoformat(line["time"])
    assert stamped.tzinfo is not None and stamped.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - stamped).total_seconds()) < 60
